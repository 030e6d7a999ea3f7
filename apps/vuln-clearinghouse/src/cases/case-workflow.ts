// The case workflow and the embargo policy, as plain rules: no I/O, the time is an argument.
import { CaseState, ConflictError, RuleViolationError, SeverityView } from '@vantage/contracts';

/** A case as the workflow sees it: its state, its embargo and what sets the embargo. */
export interface CaseHead {
  id: string;
  title: string;
  state: CaseState;
  deadlineAt: Date;
  exploitedInWild: boolean;
  severity: SeverityView;
}

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

/** States in which a case has no embargo running: no reminders, no deadline, no extension. */
export const CLOSED_STATES: CaseState[] = ['disclosed', 'rejected', 'duplicate'];

export function isOpen(state: CaseState): boolean {
  return OPEN_STATES.includes(state);
}

/** What a legal move does besides changing the state. */
export interface CaseMove {
  from: CaseState;
  to: CaseState;
  /** The matched vendors are told (vendor-notified). */
  notifiesVendors: boolean;
  /** The embargo's reminders and deadline are cancelled (the case is closed). */
  endsEmbargo: boolean;
  /** The case becomes public (disclosed). */
  discloses: boolean;
}

/** An analyst's move: only a legal one (409 otherwise, naming the moves there are). */
export function move(from: CaseState, to: CaseState): CaseMove {
  if (!isLegalMove(from, to)) {
    throw new ConflictError('illegal_transition', `a case in ${from} cannot move to ${to}; it can move to ${legalMoves(from).join(', ') || 'nothing'}`);
  }
  return { from, to, notifiesVendors: to === 'vendor-notified', endsEmbargo: CLOSED_STATES.includes(to), discloses: to === 'disclosed' };
}

/** An embargo moves only later, and only on a case that has one; the history says to when and why. */
export function extendEmbargo(c: Pick<CaseHead, 'state' | 'deadlineAt'>, deadlineAt: Date, reason: string): { note: string } {
  if (CLOSED_STATES.includes(c.state)) throw new ConflictError('case_closed', `a ${c.state} case has no embargo`);
  if (deadlineAt.getTime() <= c.deadlineAt.getTime()) {
    throw new RuleViolationError('deadline_not_later', 'an embargo can only be extended', [{ field: 'deadlineAt', message: 'must be later than the current deadline' }]);
  }
  return { note: `embargo extended to ${deadlineAt.toISOString()}: ${reason}` };
}

/** A reminder or the deadline is announced only while the embargo runs. */
export function embargoRuns(state: CaseState): boolean {
  return !CLOSED_STATES.includes(state);
}

const DAY = 24 * 3600 * 1000;

/** Project Zero's policy: 90 days from the report, 7 when the vulnerability is exploited in the wild. */
export function disclosureDeadline(reportedAt: Date, exploitedInWild: boolean): Date {
  return new Date(reportedAt.getTime() + (exploitedInWild ? 7 : 90) * DAY);
}

export interface DeadlineTimer {
  kind: string;
  dueAt: Date;
  payload: Record<string, unknown>;
}

/** Reminders before the deadline, and the deadline itself, as durable timers. */
export function deadlineTimers(deadline: Date, now: Date): DeadlineTimer[] {
  const timers: DeadlineTimer[] = [];
  for (const days of [7, 1]) {
    const dueAt = new Date(deadline.getTime() - days * DAY);
    if (dueAt.getTime() > now.getTime()) timers.push({ kind: 'case.deadline-approaching', dueAt, payload: { remaining: `${days}d` } });
  }
  timers.push({ kind: 'case.deadline-reached', dueAt: deadline, payload: {} });
  return timers;
}
