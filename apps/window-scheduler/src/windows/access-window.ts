// The programme's two rules as one pure state machine, used by the handlers and tested on its own:
//   voluntary — the lab may reschedule, withdraw or release at any moment, with immediate effect;
//   at most 30 days — a window never lasts longer, and never outlasts the release in force.
// Nothing here can approve, delay or block a release: there is no such state and no such move.
import { ClosedReason } from '@vantage/contracts';

export type WindowState = 'scheduled' | 'open' | 'closed' | 'cancelled';
export type TimerKind = 'open' | 'closing-soon' | 'close';

export interface WindowPolicy {
  maxDays: number;
  closingSoonMs: number;
}

export interface AccessWindow {
  state: WindowState;
  opensAt: Date;
  closesAt: Date;
  plannedReleaseAt: Date;
  earliestAccessAt: Date | null;
  closedAt: Date | null;
  closedReason: ClosedReason | null;
  /** agencyId → grant state */
  grants: Map<string, 'active' | 'revoked'>;
}

export type WindowEffect =
  | { type: 'scheduled' }
  | { type: 'rescheduled'; previousClosesAt: Date }
  | { type: 'opened' }
  | { type: 'closing-soon' }
  | { type: 'closed'; reason: ClosedReason; at: Date }
  | { type: 'cancelled'; reason: 'released' | 'withdrawn'; at: Date }
  | { type: 'grant-issued'; agencyId: string; at: Date }
  | { type: 'grant-revoked'; agencyId: string; reason: ClosedReason; at: Date };

export interface Transition {
  window: AccessWindow;
  effects: WindowEffect[];
  /** When set, the window's pending timers are replaced by these. */
  timers?: { kind: TimerKind; dueAt: Date }[];
}

const DAY = 24 * 3600 * 1000;
const max = (...ds: (Date | null | undefined)[]) => new Date(Math.max(...ds.filter((d): d is Date => !!d).map((d) => d.getTime())));
const min = (...ds: Date[]) => new Date(Math.min(...ds.map((d) => d.getTime())));

export function assertPolicy(policy: WindowPolicy): void {
  if (policy.maxDays > 30 || policy.maxDays <= 0) throw new Error('a window may last at most 30 days');
}

/** opensAt = max(now, earliestAccessAt, plannedReleaseAt − maxDays); closesAt = min(plannedReleaseAt, opensAt + maxDays). */
export function computeTimes(now: Date, plannedReleaseAt: Date, earliestAccessAt: Date | null, policy: WindowPolicy) {
  assertPolicy(policy);
  const closesAtLatest = plannedReleaseAt;
  const opensAt = max(now, earliestAccessAt, new Date(plannedReleaseAt.getTime() - policy.maxDays * DAY));
  // A release at or before the earliest access leaves no time to open: the window is empty and never opens.
  if (opensAt.getTime() >= closesAtLatest.getTime()) return { opensAt: closesAtLatest, closesAt: closesAtLatest };
  const closesAt = min(closesAtLatest, new Date(opensAt.getTime() + policy.maxDays * DAY));
  return { opensAt, closesAt };
}

function timersFor(w: AccessWindow, policy: WindowPolicy): { kind: TimerKind; dueAt: Date }[] {
  const timers: { kind: TimerKind; dueAt: Date }[] = [];
  const empty = w.opensAt.getTime() >= w.closesAt.getTime();
  if (w.state === 'scheduled' && !empty) timers.push({ kind: 'open', dueAt: w.opensAt });
  if (w.state === 'scheduled' || w.state === 'open') {
    const soon = new Date(w.closesAt.getTime() - policy.closingSoonMs);
    if (soon.getTime() > w.opensAt.getTime()) timers.push({ kind: 'closing-soon', dueAt: soon });
    timers.push({ kind: 'close', dueAt: w.closesAt });
  }
  return timers;
}

export function schedule(input: { plannedReleaseAt: Date; earliestAccessAt: Date | null }, now: Date, policy: WindowPolicy): Transition {
  const { opensAt, closesAt } = computeTimes(now, input.plannedReleaseAt, input.earliestAccessAt, policy);
  const window: AccessWindow = {
    state: 'scheduled', opensAt, closesAt, plannedReleaseAt: input.plannedReleaseAt, earliestAccessAt: input.earliestAccessAt,
    closedAt: null, closedReason: null, grants: new Map(),
  };
  return { window, effects: [{ type: 'scheduled' }], timers: timersFor(window, policy) };
}

/** The open timer: grants go to every consenting agency. */
export function open(w: AccessWindow, at: Date, agencies: string[]): Transition {
  if (w.state !== 'scheduled') return { window: w, effects: [] };
  const grants = new Map(w.grants);
  const effects: WindowEffect[] = [{ type: 'opened' }];
  for (const agencyId of agencies) {
    if (grants.get(agencyId) === 'active') continue;
    grants.set(agencyId, 'active');
    effects.push({ type: 'grant-issued', agencyId, at });
  }
  return { window: { ...w, state: 'open', grants }, effects };
}

export function closingSoon(w: AccessWindow): Transition {
  return { window: w, effects: w.state === 'open' ? [{ type: 'closing-soon' }] : [] };
}

/** Ends the window at once: an open one closes (grants revoked), a scheduled one is cancelled. */
export function end(w: AccessWindow, at: Date, reason: ClosedReason, policy: WindowPolicy): Transition {
  if (w.state === 'open') {
    const grants = new Map(w.grants);
    const effects: WindowEffect[] = [{ type: 'closed', reason, at }];
    for (const [agencyId, state] of grants) {
      if (state !== 'active') continue;
      grants.set(agencyId, 'revoked');
      effects.push({ type: 'grant-revoked', agencyId, reason, at });
    }
    const window: AccessWindow = { ...w, state: 'closed', closedAt: at, closedReason: reason, grants };
    return { window, effects, timers: timersFor(window, policy) };
  }
  if (w.state === 'scheduled') {
    if (reason === 'scheduled-end') {
      // Its time ran out without it ever opening (an empty window): it closes with no grants.
      const window: AccessWindow = { ...w, state: 'closed', closedAt: at, closedReason: reason };
      return { window, effects: [{ type: 'closed', reason, at }], timers: [] };
    }
    const window: AccessWindow = { ...w, state: 'cancelled', closedAt: at, closedReason: reason };
    return { window, effects: [{ type: 'cancelled', reason, at }], timers: [] };
  }
  return { window: w, effects: [] };
}

/**
 * The lab moved its release. A scheduled window is recomputed from now; an open one keeps its opensAt and
 * its closesAt moves, never past opensAt + maxDays nor past the new release (if that is now, it closes).
 */
export function reschedule(w: AccessWindow, plannedReleaseAt: Date, now: Date, policy: WindowPolicy): Transition {
  if (w.state === 'scheduled') {
    const { opensAt, closesAt } = computeTimes(now, plannedReleaseAt, w.earliestAccessAt, policy);
    const window = { ...w, opensAt, closesAt, plannedReleaseAt };
    return { window, effects: [{ type: 'rescheduled', previousClosesAt: w.closesAt }], timers: timersFor(window, policy) };
  }
  if (w.state === 'open') {
    const closesAt = min(plannedReleaseAt, new Date(w.opensAt.getTime() + policy.maxDays * DAY));
    const window = { ...w, closesAt, plannedReleaseAt };
    if (closesAt.getTime() <= now.getTime()) {
      const ended = end(window, now, 'scheduled-end', policy);
      return { ...ended, effects: [{ type: 'rescheduled', previousClosesAt: w.closesAt }, ...ended.effects] };
    }
    return { window, effects: [{ type: 'rescheduled', previousClosesAt: w.closesAt }], timers: timersFor(window, policy) };
  }
  return { window: w, effects: [] };
}
