import { HOUR, MINUTE, SECOND } from '@vantage/clock';
import { delayAfterFailure, MAX_ATTEMPTS, parseRetryAfter } from './retry-schedule';

describe('the webhook retry schedule (unit)', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then gives up after the eighth attempt', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => delayAfterFailure(n));
    expect(waits).toEqual([5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect(delayAfterFailure(8)).toBeUndefined();
  });

  it('honours a larger Retry-After, never a smaller one, and caps it', () => {
    expect(delayAfterFailure(1, 60 * SECOND)).toBe(60 * SECOND);
    expect(delayAfterFailure(2, 60 * SECOND)).toBe(5 * MINUTE);
    expect(delayAfterFailure(1, 1000 * HOUR)).toBe(10 * HOUR);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120 * SECOND);
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:10:00 GMT', now)).toBe(10 * MINUTE);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
