import { traceIdOf } from '@vantage/contracts';
import { isValidTraceparent, traceFromHeaders } from './http-trace';

const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceFromHeaders', () => {
  it('continues a well-formed incoming traceparent and takes the trace id as correlation id', () => {
    expect(traceFromHeaders({ traceparent: valid })).toEqual({ traceparent: valid, correlationId: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });

  it('takes x-correlation-id when it is a plain token', () => {
    expect(traceFromHeaders({ traceparent: valid, 'x-correlation-id': 'order-42' }).correlationId).toBe('order-42');
  });

  it('falls back to the trace id when x-correlation-id could inject text into logs', () => {
    const fields = traceFromHeaders({ 'x-correlation-id': 'a\nfake log line' });
    expect(fields.correlationId).toBe(traceIdOf(fields.traceparent));
  });

  it.each([
    ['uppercase hex', valid.toUpperCase()],
    ['version ff', `ff${valid.slice(2)}`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['all-zero parent id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['truncated', valid.slice(0, 40)],
  ])('starts a new trace instead of continuing a traceparent with %s', (_case, header) => {
    expect(isValidTraceparent(header)).toBe(false);
    const fields = traceFromHeaders({ traceparent: header });
    expect(fields.traceparent).not.toBe(header);
    expect(isValidTraceparent(fields.traceparent)).toBe(true);
  });
});
