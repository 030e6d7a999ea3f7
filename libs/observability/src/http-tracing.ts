// Gives every HTTP request a span of its trace (continuing the caller's traceparent, else starting a trace) and times
// it, through the adapter's own request hooks.
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { AbstractHttpAdapter } from '@nestjs/core';
import { newTraceparent } from '@vantage/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
// Not in the package's index, but its one place for the logger a request's lines go to (no exports map).
import { storage as requestLoggers, Store } from 'nestjs-pino/storage';
import type { Logger as Pino } from 'pino';
import { incomingTrace } from './http-trace';
import { isProbe } from './logger-params';
import { Metrics } from './metrics';
import { contextOf, fieldsOf } from './trace-context';
import { tracer, tracingOn } from './tracing';

/** The request's server span, from the request hook to the response hook. */
const SPAN = Symbol('vantage.http-span');
type Traced = FastifyRequest & { [SPAN]?: Span };

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
    const incoming = incomingTrace(request.headers);
    // A request that brings no trace starts one: its own root span when tracing is on; a made-up traceparent when it is
    // off (the no-op span keeps it), so that its logs and events still share one trace id.
    const parent = contextOf({ ...incoming, traceparent: incoming.traceparent ?? (tracingOn() ? undefined : newTraceparent()) });
    // Named for the route when it is known (the response hook); the method until then.
    const span = tracer().startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } }, parent);
    (request as Traced)[SPAN] = span;
    const ctx = contextOf({ correlationId: incoming.correlationId ?? span.spanContext().traceId }, trace.setSpan(parent, span));
    const fields = fieldsOf(ctx)!;
    // On the Node response, so that a response a middleware ends itself carries them too: the request's own span
    // (the caller's trace id, this span's id) and the correlation id.
    reply.raw.setHeader('traceparent', fields.traceparent);
    reply.raw.setHeader('x-correlation-id', fields.correlationId);
    // The request's lines go to this application's logger, in the request's trace.
    if (store) requestLoggers.run(store, () => context.with(ctx, done));
    else context.with(ctx, done);
  });

  adapter.setOnResponseHook((request: FastifyRequest, reply: FastifyReply, done: Done) => {
    // The route template keeps the label set bounded; unmatched URLs would not be.
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    metrics.httpRequests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    const span = (request as Traced)[SPAN];
    if (span) {
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': reply.statusCode });
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
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
