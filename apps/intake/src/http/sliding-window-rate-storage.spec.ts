import { ManualClock, SECOND } from '@vantage/clock';
import { SlidingWindowRateStorage } from './sliding-window-rate-storage';

describe('SlidingWindowRateStorage', () => {
  const MINUTE = 60 * SECOND;

  it('admits the limit in a window, then blocks with the time to wait, and keys do not share a count', () => {
    const clock = new ManualClock('2026-11-26T12:00:00Z');
    const storage = new SlidingWindowRateStorage(clock);
    const results = Array.from({ length: 7 }, () => storage.count('key-a', MINUTE, 5, MINUTE));
    expect(results.map((r) => r.isBlocked)).toEqual([false, false, false, false, false, true, true]);
    expect(results[5].timeToBlockExpire).toBe(60);
    expect(storage.count('key-b', MINUTE, 5, MINUTE).isBlocked).toBe(false);
  });

  it('lets the previous window weigh in proportion to its overlap with the last minute', () => {
    const clock = new ManualClock('2026-11-26T12:00:00Z');
    const storage = new SlidingWindowRateStorage(clock);
    for (let i = 0; i < 10; i++) expect(storage.count('k', MINUTE, 10, 1)).toMatchObject({ isBlocked: false });
    // A quarter into the next window three quarters of the previous ten still count: 7.5, so two more fit.
    clock.advance(MINUTE + 15 * SECOND);
    expect([1, 2, 3].map(() => storage.count('k', MINUTE, 10, 1).isBlocked)).toEqual([false, false, true]);
    // Two windows on, nothing from before counts.
    clock.advance(2 * MINUTE);
    expect(storage.count('k', MINUTE, 10, 1)).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('tells how long a key stays blocked without counting a request', () => {
    const clock = new ManualClock('2026-11-26T12:00:00Z');
    const storage = new SlidingWindowRateStorage(clock);
    expect(storage.blockedForMs('k')).toBe(0);
    for (let i = 0; i < 3; i++) storage.count('k', MINUTE, 2, MINUTE);
    expect(storage.blockedForMs('k')).toBe(MINUTE);
    clock.advance(20 * SECOND);
    expect(storage.blockedForMs('k')).toBe(40 * SECOND);
    expect(storage.blockedForMs('k')).toBe(40 * SECOND);
    clock.advance(40 * SECOND);
    expect(storage.blockedForMs('k')).toBe(0);
  });

  it('keeps a blocked key blocked for the block duration', () => {
    const clock = new ManualClock('2026-11-26T12:00:30Z');
    const storage = new SlidingWindowRateStorage(clock);
    storage.count('k', MINUTE, 1, 2 * MINUTE);
    expect(storage.count('k', MINUTE, 1, 2 * MINUTE)).toMatchObject({ isBlocked: true, timeToBlockExpire: 120 });
    clock.advance(90 * SECOND);
    expect(storage.count('k', MINUTE, 1, 2 * MINUTE)).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    clock.advance(31 * SECOND);
    expect(storage.count('k', MINUTE, 1, 2 * MINUTE).isBlocked).toBe(false);
  });
});
