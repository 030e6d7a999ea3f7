import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { TraceContext } from './trace-context';
import { startTracing } from './tracing';

const exported = new InMemorySpanExporter();
beforeAll(() => startTracing({ service: 'trace-context-spec', exporter: exported }));

const outer = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', correlationId: 'outer' };
const inner = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', correlationId: 'inner' };

describe('TraceContext', () => {
  it('has no trace outside any run', () => {
    expect(TraceContext.current()).toBeUndefined();
  });

  it('keeps the trace across awaits and restores the outer one when a nested run ends', async () => {
    await TraceContext.run(outer, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      expect(TraceContext.current()).toEqual(outer);
      const seenInside = await TraceContext.run(inner, async () => {
        await Promise.resolve();
        return TraceContext.current();
      });
      expect(seenInside).toEqual(inner);
      expect(TraceContext.current()).toEqual(outer);
    });
    expect(TraceContext.current()).toBeUndefined();
  });

  it('keeps concurrent runs apart', async () => {
    const seen = await Promise.all(
      [outer, inner].map((fields) =>
        TraceContext.run(fields, async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return TraceContext.current()?.correlationId;
        }),
      ),
    );
    expect(seen).toEqual(['outer', 'inner']);
  });

  it('runs as a new span of the trace: a child of the traceparent, ended and recorded when the work settles', async () => {
    const seen = await TraceContext.run(outer, async () => {
      await Promise.resolve();
      return TraceContext.current()!;
    }, { name: 'handle thing', kind: SpanKind.CONSUMER });
    const [, traceId, spanId] = seen.traceparent.split('-');
    expect(traceId).toBe(outer.traceparent.split('-')[1]);
    expect(spanId).not.toBe(outer.traceparent.split('-')[2]);
    expect(seen.correlationId).toBe('outer');
    const [span] = exported.getFinishedSpans().filter((s) => s.name === 'handle thing');
    expect(span.spanContext().spanId).toBe(spanId);
    expect(span.parentSpanContext?.spanId).toBe(outer.traceparent.split('-')[2]);
    expect(span.kind).toBe(SpanKind.CONSUMER);
  });

  it('records a failure of the work on its span', async () => {
    await expect(TraceContext.run(inner, async () => Promise.reject(new Error('no luck')), { name: 'fail thing', kind: SpanKind.SERVER })).rejects.toThrow('no luck');
    const [span] = exported.getFinishedSpans().filter((s) => s.name === 'fail thing');
    expect(span.status).toMatchObject({ code: 2, message: 'no luck' });
    expect(span.events.map((e) => e.name)).toContain('exception');
  });

  it('handles a batch from several traces as one new trace whose span links to each, and a batch of one as its child', async () => {
    const seen = await TraceContext.batch({ name: 'batch of two', kind: SpanKind.CONSUMER }, [outer, inner], async () => TraceContext.current()!);
    const [span] = exported.getFinishedSpans().filter((s) => s.name === 'batch of two');
    expect(span.parentSpanContext).toBeUndefined();
    expect(seen.traceparent.split('-')[1]).toBe(span.spanContext().traceId);
    expect(span.links.map((l) => l.context.traceId)).toEqual([outer, inner].map((f) => f.traceparent.split('-')[1]));

    await TraceContext.batch({ name: 'batch of one', kind: SpanKind.CONSUMER }, [inner], async () => undefined);
    const [one] = exported.getFinishedSpans().filter((s) => s.name === 'batch of one');
    expect(one.spanContext().traceId).toBe(inner.traceparent.split('-')[1]);
    expect(one.parentSpanContext?.spanId).toBe(inner.traceparent.split('-')[2]);
  });
});
