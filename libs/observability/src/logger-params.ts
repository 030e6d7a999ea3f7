// How every service logs: JSON lines to stdout, each carrying the service and the trace in hand.
import { hostname } from 'node:os';
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
  };
  // pino-http builds the logger (with its req/res/err serializers) but runs for no route: per request it would
  // make two child loggers, serialise the request eagerly and bind a second async context, all before a line is
  // due. The trace is in every line already (mixin), and the completion line comes from the adapter's response
  // hook (http-tracing.ts), serialised only when its level is on.
  return { pinoHttp: logStream ? [options, logStream] : options, forRoutes: [] };
}

function traceFields(): Record<string, string | undefined> {
  const trace = TraceContext.current();
  return trace ? { traceId: traceIdOf(trace.traceparent), correlationId: trace.correlationId } : {};
}

/** Probes and scrapes arrive every few seconds and say nothing worth a line. */
export function isProbe(url: string): boolean {
  const path = url.split('?')[0];
  return path === '/metrics' || path.startsWith('/health/');
}
