// The case workflow and the embargo policy, as plain rules.
import { CaseState } from '@vantage/contracts';

const MOVES: Record<CaseState, CaseState[]> = {
  new: ['triaged', 'rejected', 'duplicate'],
  triaged: ['vendor-notified', 'rejected', 'duplicate', 'disclosed'],
  'vendor-notified': ['fix-available', 'disclosed'],
  'fix-available': ['disclosed'],
  disclosed: [],
  rejected: [],
  duplicate: [],
};

export function isLegalMove(from: CaseState, to: CaseState): boolean {
  return MOVES[from].includes(to);
}

export function legalMoves(from: CaseState): CaseState[] {
  return MOVES[from];
}

export const OPEN_STATES: CaseState[] = ['new', 'triaged', 'vendor-notified', 'fix-available'];

const DAY = 24 * 3600 * 1000;

/** Project Zero's policy: 90 days from the report, 7 when the vulnerability is exploited in the wild. */
export function disclosureDeadline(reportedAt: Date, exploitedInWild: boolean): Date {
  return new Date(reportedAt.getTime() + (exploitedInWild ? 7 : 90) * DAY);
}

/** Reminders before the deadline, and the deadline itself, as durable timers. */
export function deadlineTimers(deadline: Date, now: Date): { kind: string; dueAt: Date; payload: Record<string, unknown> }[] {
  const timers: { kind: string; dueAt: Date; payload: Record<string, unknown> }[] = [];
  for (const days of [7, 1]) {
    const dueAt = new Date(deadline.getTime() - days * DAY);
    if (dueAt.getTime() > now.getTime()) timers.push({ kind: 'case.deadline-approaching', dueAt, payload: { remaining: `${days}d` } });
  }
  timers.push({ kind: 'case.deadline-reached', dueAt: deadline, payload: {} });
  return timers;
}
