import { DAY, ManualClock, ShiftedClock } from './clock';

describe('ManualClock', () => {
  it('moves only when advanced and tells its listeners', () => {
    const clock = new ManualClock('2026-11-26T00:00:00Z');
    const heard: string[] = [];
    clock.onChange((now) => heard.push(now.toISOString()));
    expect(clock.now().toISOString()).toBe('2026-11-26T00:00:00.000Z');
    clock.advance(DAY);
    expect(clock.now().toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(heard).toEqual(['2026-11-27T00:00:00.000Z']);
  });

  it('refuses to move backwards', () => {
    const clock = new ManualClock('2026-11-26T00:00:00Z');
    expect(() => clock.set('2026-11-25T00:00:00Z')).toThrow(/backwards/);
  });
});

describe('ShiftedClock', () => {
  it('runs a fixed shift ahead of the system clock, tells its listeners when moved, and never moves back', () => {
    const clock = new ShiftedClock();
    const heard: number[] = [];
    clock.onChange((now) => heard.push(now.getTime()));
    const before = Date.now();
    clock.shiftTo(91 * DAY);
    const now = clock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before + 91 * DAY);
    expect(now).toBeLessThanOrEqual(Date.now() + 91 * DAY);
    expect(heard).toHaveLength(1);
    clock.shiftTo(91 * DAY); // the same command again changes nothing
    expect(heard).toHaveLength(1);
    expect(() => clock.shiftTo(DAY)).toThrow(/backwards/);
    expect(clock.shiftMs).toBe(91 * DAY);
  });
});
