// With tracing on (an exporter configured), every HTTP request is a server span of its caller's trace.
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { ObservedApp, startObservedApp } from '../test/observed-app-fixture';
import { ThingsController } from '../test/things-fixture';
import { startTracing } from './tracing';

const exported = new InMemorySpanExporter();
const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('HTTP spans, tracing on', () => {
  let probe: ObservedApp;
  beforeAll(async () => {
    // Before the application: the first setup of a process wins, and this one exports to memory.
    startTracing({ service: 'probe-service', exporter: exported });
    probe = await startObservedApp({ controllers: [ThingsController] });
  });
  afterAll(() => probe.close());

  it("records a server span per request, a child of the caller's span, named for its route, and answers its traceparent", async () => {
    const res = await fetch(`${probe.url}/things/7`, { headers: { traceparent: incoming } });
    expect(res.status).toBe(200);
    const [, traceId, spanId, flags] = res.headers.get('traceparent')!.split('-');
    const span = exported.getFinishedSpans().find((s) => s.spanContext().spanId === spanId)!;
    expect(span).toBeDefined();
    expect(traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(flags).toBe('01');
    expect(span.name).toBe('GET /things/:id');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/things/:id', 'http.response.status_code': 200 });
  });

  it('starts a trace of its own for a request that brings none, and marks a server error', async () => {
    const res = await fetch(`${probe.url}/things/11`, { method: 'DELETE' });
    expect(res.status).toBe(500);
    const [, traceId, spanId] = res.headers.get('traceparent')!.split('-');
    const span = exported.getFinishedSpans().find((s) => s.spanContext().spanId === spanId)!;
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status.code).toBe(2);
  });
});
