// Loaded first by every service's main.ts, before anything requires pg or undici: with tracing on
// (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), Postgres queries and outbound HTTP calls become spans of the trace in hand.
// pg is patched as it loads (so this must come first); undici is observed through its diagnostics channels. Off,
// nothing is loaded or patched. (A test that runs services in its own process loads none of this: its spans are the
// project's own, tracing.ts.)
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

if (process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
  registerInstrumentations({
    // Only inside work that is traced already: not the pool's housekeeping, the outbox poll or the timers' scans.
    instrumentations: [new PgInstrumentation({ requireParentSpan: true }), new UndiciInstrumentation({ requireParentforSpans: true })],
  });
}
