import fc from 'fast-check';
import { AccessWindow, closingSoon, computeTimes, end, open, reschedule, schedule, TimerKind, Transition, WindowPolicy } from './access-window';

const DAY = 24 * 3600 * 1000;
const policy: WindowPolicy = { maxDays: 30, closingSoonMs: DAY };
const at = (iso: string) => new Date(iso);

describe('access window times', () => {
  it('opens 30 days before the release when that is later than now, and closes at the release', () => {
    const t = computeTimes(at('2026-11-01T00:00:00Z'), at('2027-01-31T00:00:00Z'), null, policy);
    expect(t.opensAt.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(t.closesAt.toISOString()).toBe('2027-01-31T00:00:00.000Z');
  });

  it('opens now when the release is near, and closes at the release even when 30 days have not passed', () => {
    const t = computeTimes(at('2026-11-26T12:00:00Z'), at('2026-12-06T12:00:00Z'), null, policy);
    expect(t.opensAt.toISOString()).toBe('2026-11-26T12:00:00.000Z');
    expect(t.closesAt.toISOString()).toBe('2026-12-06T12:00:00.000Z');
  });

  it('waits for the earliest access the lab allows', () => {
    const t = computeTimes(at('2026-11-26T00:00:00Z'), at('2026-12-20T00:00:00Z'), at('2026-11-28T00:00:00Z'), policy);
    expect(t.opensAt.toISOString()).toBe('2026-11-28T00:00:00.000Z');
  });

  it('never allows a policy above 30 days', () => {
    expect(() => computeTimes(new Date(), new Date(Date.now() + DAY), null, { ...policy, maxDays: 31 })).toThrow(/30 days/);
  });

  it('keeps opensAt of an open window when the release moves, and closes it at once if the release is now', () => {
    const s = schedule({ plannedReleaseAt: at('2026-12-20T00:00:00Z'), earliestAccessAt: null }, at('2026-11-26T00:00:00Z'), policy);
    const opened = open(s.window, s.window.opensAt, ['a1']).window;
    const later = reschedule(opened, at('2027-03-01T00:00:00Z'), at('2026-11-27T00:00:00Z'), policy);
    expect(later.window.opensAt).toEqual(opened.opensAt);
    expect(later.window.closesAt.toISOString()).toBe('2026-12-26T00:00:00.000Z');
  });
});

/** A simulated lab and clock driving the state machine, with timers fired in order as the scheduler does. */
class Simulation {
  now = at('2026-11-26T00:00:00Z');
  release: Date;
  window: AccessWindow;
  timers: { kind: TimerKind; dueAt: Date }[] = [];
  ended = false;

  constructor(releaseInDays: number, earliestInDays: number | null, readonly agencies: string[]) {
    this.release = new Date(this.now.getTime() + releaseInDays * DAY);
    const earliest = earliestInDays === null ? null : new Date(this.now.getTime() + Math.min(earliestInDays, releaseInDays - 0.01) * DAY);
    this.apply(schedule({ plannedReleaseAt: this.release, earliestAccessAt: earliest }, this.now, policy));
    this.fireDue();
  }

  apply(t: Transition): void {
    this.window = t.window;
    if (t.timers) this.timers = [...t.timers].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  fireDue(): void {
    while (this.timers.length && this.timers[0].dueAt.getTime() <= this.now.getTime()) {
      const timer = this.timers.shift()!;
      if (timer.kind === 'open') this.apply(open(this.window, timer.dueAt, this.agencies));
      else if (timer.kind === 'closing-soon') this.apply(closingSoon(this.window));
      else this.apply(end(this.window, timer.dueAt, 'scheduled-end', policy));
    }
  }

  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
    this.fireDue();
  }

  rescheduleTo(days: number): void {
    if (this.ended) return;
    this.release = new Date(this.now.getTime() + days * DAY);
    this.apply(reschedule(this.window, this.release, this.now, policy));
    this.fireDue();
  }

  withdrawOrRelease(reason: 'withdrawn' | 'released'): void {
    this.ended = true;
    this.apply(end(this.window, this.now, reason, policy));
  }
}

type Step =
  | { op: 'advance'; ms: number }
  | { op: 'reschedule'; days: number }
  | { op: 'rotate' }
  | { op: 'withdraw' }
  | { op: 'release' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20 * DAY }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('reschedule' as const), days: fc.double({ min: 0.01, max: 90, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rotate' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('withdraw' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('release' as const) }) },
);

describe('the two rules, for any sequence a lab and the clock can produce', () => {
  it('keeps every window within 30 days and the release in force, ends it at once on withdraw or release, and keeps grants inside open windows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 120, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 60, noNaN: true }), { nil: null }),
        fc.array(step, { maxLength: 25 }),
        (releaseInDays, earliestInDays, steps) => {
          const sim = new Simulation(releaseInDays, earliestInDays, ['agency-1', 'agency-2']);
          const check = (after: Step | 'start') => {
            const w = sim.window;
            const length = w.closesAt.getTime() - w.opensAt.getTime();
            expect(length).toBeLessThanOrEqual(30 * DAY);
            expect(length).toBeGreaterThanOrEqual(0);
            if (w.state === 'scheduled' || w.state === 'open') expect(w.closesAt.getTime()).toBeLessThanOrEqual(sim.release.getTime());
            if (w.state === 'open') expect(sim.now.getTime()).toBeLessThan(w.closesAt.getTime());
            if (w.closedAt) expect(w.closedAt.getTime()).toBeLessThanOrEqual(sim.release.getTime());
            if (after !== 'start' && (after.op === 'withdraw' || after.op === 'release')) expect(['closed', 'cancelled']).toContain(w.state);
            const active = [...w.grants.values()].filter((g) => g === 'active').length;
            if (w.state !== 'open') expect(active).toBe(0);
          };
          check('start');
          for (const s of steps) {
            if (s.op === 'advance') sim.advance(s.ms);
            else if (s.op === 'reschedule') sim.rescheduleTo(s.days);
            else if (s.op === 'withdraw') sim.withdrawOrRelease('withdrawn');
            else if (s.op === 'release') sim.withdrawOrRelease('released');
            check(s);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
