// How every service logs: JSON lines to stdout, each carrying the service and the trace in hand.
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { DestinationStream, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import { traceIdOf } from '@vantage/contracts';
import { TraceContext } from './trace-context';

/** Keys whose value never reaches a log line, however deep (to three levels) they sit in a logged object. */
const SECRET_KEYS = ['apiKey', 'key', 'secret', 'proofOfConcept', 'authorization', 'password'];

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export interface LoggerSettings {
  service: string;
  logLevel: string;
  logStream?: DestinationStream;
}

export function loggerParams({ service, logLevel, logStream }: LoggerSettings): Params {
  const options: Options = {
    level: logLevel,
    base: { service, pid: process.pid, hostname: hostname() },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    // Request lines carry only the request id; the full request (never its body) is on the completion line.
    quietReqLogger: true,
    autoLogging: { ignore: isProbe },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  };
  return { pinoHttp: logStream ? [options, logStream] : options };
}

function traceFields(): Record<string, string | undefined> {
  const trace = TraceContext.current();
  return trace ? { traceId: traceIdOf(trace.traceparent), correlationId: trace.correlationId } : {};
}

/** Probes and scrapes arrive every few seconds and say nothing worth a line. */
function isProbe(req: IncomingMessage): boolean {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const path = url.split('?')[0];
  return path === '/metrics' || path.startsWith('/health/');
}
