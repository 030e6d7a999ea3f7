import { incomingTrace, isValidTraceparent } from './http-trace';

const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('incomingTrace', () => {
  it('continues a well-formed incoming traceparent', () => {
    expect(incomingTrace({ traceparent: valid })).toEqual({ traceparent: valid });
  });

  it('takes x-correlation-id when it is a plain token', () => {
    expect(incomingTrace({ traceparent: valid, 'x-correlation-id': 'order-42' }).correlationId).toBe('order-42');
  });

  it('drops an x-correlation-id that could inject text into logs', () => {
    expect(incomingTrace({ 'x-correlation-id': 'a\nfake log line' })).toEqual({});
  });

  it.each([
    ['uppercase hex', valid.toUpperCase()],
    ['version ff', `ff${valid.slice(2)}`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['all-zero parent id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['truncated', valid.slice(0, 40)],
  ])('does not continue a traceparent with %s (a new trace starts)', (_case, header) => {
    expect(isValidTraceparent(header)).toBe(false);
    expect(incomingTrace({ traceparent: header })).toEqual({});
  });
});
