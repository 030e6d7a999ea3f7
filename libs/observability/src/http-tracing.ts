// Gives every HTTP request a trace and times it, through the adapter's own request hooks.
import { AbstractHttpAdapter } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
// Not in the package's index, but its one place for the logger a request's lines go to (no exports map).
import { storage as requestLoggers, Store } from 'nestjs-pino/storage';
import type { Logger as Pino } from 'pino';
import { traceFromHeaders } from './http-trace';
import { isProbe } from './logger-params';
import { Metrics } from './metrics';
import { TraceContext } from './trace-context';

type Done = (err?: Error) => void;

/** `ObservabilityModule` already does this at init; a call from main.ts is harmless and not needed. */
export function instrumentHttp(adapter: AbstractHttpAdapter, metrics: Metrics): void {
  if (adapter.getType() !== 'fastify') throw new Error(`@vantage/observability needs the Fastify adapter, not ${adapter.getType()}`);

  // Each hook fills the adapter's single slot, so instrumenting twice replaces rather than doubles.
  // The adapter runs this hook before CORS and before every Nest middleware (middie), so the whole
  // request, pino-http's own lines included, runs inside the trace. `run` rather than `enterWith`:
  // its scope is this request only, never a later request handled on the same socket.
  // This application's logger (nestjs-pino keeps the last one built in a static, and an in-process test runs several).
  const logger = PinoLogger.root as Pino | undefined;
  const store = logger ? new Store(logger) : undefined;
  adapter.setOnRequestHook((request: FastifyRequest, reply: FastifyReply, done: Done) => {
    const trace = traceFromHeaders(request.headers);
    // On the Node response, so that a response a middleware ends itself echoes them too.
    reply.raw.setHeader('traceparent', trace.traceparent);
    reply.raw.setHeader('x-correlation-id', trace.correlationId);
    // The request's lines go to this application's logger, in the request's trace.
    if (store) requestLoggers.run(store, () => TraceContext.run(trace, done));
    else TraceContext.run(trace, done);
  });

  adapter.setOnResponseHook((request: FastifyRequest, reply: FastifyReply, done: Done) => {
    // The route template keeps the label set bounded; unmatched URLs would not be.
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    metrics.httpRequests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (logger) logCompletion(logger, request, reply);
    done();
  });
}

/**
 * One line per request when it completes, inside its trace: the request (headers redacted, never the body) and
 * the status. 5xx at error ("request errored"), 4xx at warn, others at info; probes and scrapes not at all.
 */
function logCompletion(logger: Pino, request: FastifyRequest, reply: FastifyReply): void {
  const status = reply.statusCode;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level) || isProbe(request.url)) return;
  request.raw.id = request.id;
  logger[level](
    { req: request.raw, res: reply.raw, responseTime: Math.round(reply.elapsedTime) },
    status >= 500 ? 'request errored' : 'request completed',
  );
}
