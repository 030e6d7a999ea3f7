// The trace of the work in hand (an HTTP request, an event, an RPC call), carried across awaits: an OpenTelemetry
// context (tracing.ts) holding the current span and the correlation id. `run` enters a trace given as W3C
// traceparent (from a header or an event), optionally as a new span of that trace; `current` reads it back, as the
// traceparent to pass on (of the current span) and the correlation id.
import { Context, context, createContextKey, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { installTraceContext, tracer } from './tracing';

installTraceContext();

export interface TraceFields {
  traceparent: string;
  correlationId: string;
}

export interface SpanSpec {
  name: string;
  kind: SpanKind;
  attributes?: Record<string, string | number | boolean>;
}

const CORRELATION_ID = createContextKey('vantage.correlation-id');

/**
 * The context of a trace given as fields: the remote span of its traceparent, and its correlation id. Without a
 * traceparent, a context with no span: a span started in it begins a new trace.
 */
export function contextOf(fields: Partial<TraceFields>, parent: Context = ROOT_CONTEXT): Context {
  const ctx = fields.traceparent ? propagation.extract(parent, { traceparent: fields.traceparent }) : parent;
  return fields.correlationId ? ctx.setValue(CORRELATION_ID, fields.correlationId) : ctx;
}

/** The fields to pass on from a context: its span's traceparent and its correlation id. */
export function fieldsOf(ctx: Context): TraceFields | undefined {
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  if (!carrier.traceparent) return undefined;
  return { traceparent: carrier.traceparent, correlationId: (ctx.getValue(CORRELATION_ID) as string | undefined) ?? spanContext.traceId };
}

/** Runs `fn` with `span` ending when it settles, recording a thrown error. */
export function inSpan<T>(span: Span, fn: () => T): T {
  const end = (error?: unknown) => {
    if (error !== undefined) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    }
    span.end();
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    end(e);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => {
        end();
        return value;
      },
      (e) => {
        end(e);
        throw e;
      },
    ) as T;
  }
  end();
  return result;
}

export const TraceContext = {
  /** Runs `fn` in the trace `fields` names; with `span`, as a new span of it (a child of the traceparent's). */
  run<T>(fields: TraceFields, fn: () => T, span?: SpanSpec): T {
    const ctx = contextOf(fields);
    if (!span) return context.with(ctx, fn);
    const started = tracer().startSpan(span.name, { kind: span.kind, attributes: span.attributes }, ctx);
    return context.with(trace.setSpan(ctx, started), () => inSpan(started, fn));
  },

  /** Runs `fn` as a new span of the trace in hand (a root span when there is none). */
  span<T>(spec: SpanSpec, fn: () => T): T {
    const started = tracer().startSpan(spec.name, { kind: spec.kind, attributes: spec.attributes });
    return context.with(trace.setSpan(context.active(), started), () => inSpan(started, fn));
  },

  /**
   * Runs `fn` as one span for work on behalf of several traces (a batch of events): with one, a child of its trace;
   * with more, a new trace whose span links to each (OpenTelemetry's batch-receive pattern).
   */
  batch<T>(spec: SpanSpec, traces: Partial<TraceFields>[], fn: () => T): T {
    if (traces.length === 1 && traces[0].traceparent) return TraceContext.run(traces[0] as TraceFields, fn, spec);
    const links = traces
      .map((fields) => trace.getSpanContext(contextOf(fields)))
      .filter((sc): sc is NonNullable<typeof sc> => sc !== undefined && trace.isSpanContextValid(sc))
      .map((sc) => ({ context: sc }));
    const started = tracer().startSpan(spec.name, { kind: spec.kind, attributes: spec.attributes, links, root: true });
    return context.with(trace.setSpan(ROOT_CONTEXT, started), () => inSpan(started, fn));
  },

  current(): TraceFields | undefined {
    return fieldsOf(context.active());
  },
};
