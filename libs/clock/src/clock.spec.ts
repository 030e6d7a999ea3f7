import { DAY, ManualClock } from './clock';

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
