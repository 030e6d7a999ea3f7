// Gives every HTTP request a trace and times it, through the adapter's own request hooks.
import { AbstractHttpAdapter } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { traceFromHeaders } from './http-trace';
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
  adapter.setOnRequestHook((request: FastifyRequest, reply: FastifyReply, done: Done) => {
    const trace = traceFromHeaders(request.headers);
    // On the Node response, so that a response a middleware ends itself echoes them too.
    reply.raw.setHeader('traceparent', trace.traceparent);
    reply.raw.setHeader('x-correlation-id', trace.correlationId);
    TraceContext.run(trace, done);
  });

  adapter.setOnResponseHook((request: FastifyRequest, reply: FastifyReply, done: Done) => {
    // The route template keeps the label set bounded; unmatched URLs would not be.
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    metrics.httpRequests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
