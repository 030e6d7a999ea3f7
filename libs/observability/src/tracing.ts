// OpenTelemetry for a service. The context of the work in hand (an HTTP request, a request-reply call, an event) is
// an OpenTelemetry context: its span, propagated between services as the W3C `traceparent` (HTTP headers, NATS
// headers, the CloudEvents extension of every event), and the correlation id beside it. Spans are made for HTTP
// requests (http-tracing.ts), requests sent and answered over NATS, events handled, and, in a service's own process,
// for Postgres queries and outbound HTTP calls (pg and undici instrumentation, loaded by tracing-preload.ts).
//
// Off by default: spans are made and exported only when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT names an OTLP/HTTP receiver
// (an OpenTelemetry Collector, Jaeger, Tempo…). Off, no tracer provider is installed (the API's no-op one answers),
// but the context still carries the caller's traceparent, or one made up for the request, so logs and events keep
// their trace ids as they always did, at no cost.
import { context, propagation, SpanKind, trace, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, SimpleSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export { SpanKind };

export interface TracingSettings {
  service: string;
  /** OTLP/HTTP traces endpoint (e.g. `http://collector:4318/v1/traces`); unset, nothing is exported. */
  exportTo?: string;
  /** Spans handed to this exporter as they end (tests read them from an in-memory one). */
  exporter?: SpanExporter;
}

let started = false;
let contextInstalled = false;
let provider: NodeTracerProvider | undefined;

/**
 * The context that carries the trace across awaits, and W3C propagation: installed once, as trace-context.ts loads,
 * so that code which never starts a service (a unit test, a CLI) still carries its trace.
 */
export function installTraceContext(): void {
  if (contextInstalled) return;
  contextInstalled = true;
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/**
 * Sets up tracing for this process, once: the first call decides (several services started in one test process
 * share it). Every service calls it at start-up (ObservabilityModule); a call before, with an exporter, wins.
 */
export function startTracing(settings: TracingSettings): void {
  if (started) return;
  started = true;
  installTraceContext();
  const exporters = [
    ...(settings.exportTo ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.exportTo }))] : []),
    ...(settings.exporter ? [new SimpleSpanProcessor(settings.exporter)] : []),
  ];
  if (!exporters.length) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.service }),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: exporters,
  });
  trace.setGlobalTracerProvider(provider);
}

/** Whether spans are recorded and exported (an exporter is configured). */
export function tracingOn(): boolean {
  return provider !== undefined;
}

/** Sends what is recorded and not yet sent (at shutdown). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

export function tracer(): Tracer {
  return trace.getTracer('vantage');
}
