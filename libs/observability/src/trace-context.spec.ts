import { TraceContext } from './trace-context';

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

  it('enter sets the trace for the rest of the current async flow', async () => {
    const seen = await TraceContext.run(outer, async () => {
      TraceContext.enter(inner);
      await Promise.resolve();
      return TraceContext.current();
    });
    expect(seen).toEqual(inner);
  });
});
