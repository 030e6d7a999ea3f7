import { CASE_STATES, CaseState, ConflictError, RuleViolationError } from '@vantage/contracts';
import { CLOSED_STATES, deadlineTimers, disclosureDeadline, embargoRuns, extendEmbargo, isLegalMove, isOpen, legalMoves, move, OPEN_STATES } from './case-workflow';

const at = (iso: string) => new Date(iso);

describe('case workflow', () => {
  it('moves a case forward only along the workflow', () => {
    expect(legalMoves('new')).toEqual(['triaged', 'rejected', 'duplicate']);
    expect(isLegalMove('triaged', 'vendor-notified')).toBe(true);
    expect(isLegalMove('new', 'disclosed')).toBe(false);
    for (const closed of CLOSED_STATES) expect(legalMoves(closed)).toEqual([]);
  });

  it('refuses an illegal move with a conflict naming the moves there are', () => {
    expect(() => move('new', 'fix-available')).toThrow(ConflictError);
    expect(() => move('new', 'fix-available')).toThrow('a case in new cannot move to fix-available; it can move to triaged, rejected, duplicate');
    expect(() => move('disclosed', 'triaged')).toThrow('it can move to nothing');
  });

  it('says what a legal move does besides changing the state', () => {
    expect(move('triaged', 'vendor-notified')).toEqual({ from: 'triaged', to: 'vendor-notified', notifiesVendors: true, endsEmbargo: false, discloses: false });
    expect(move('fix-available', 'disclosed')).toEqual({ from: 'fix-available', to: 'disclosed', notifiesVendors: false, endsEmbargo: true, discloses: true });
    expect(move('new', 'rejected')).toMatchObject({ endsEmbargo: true, discloses: false });
    expect(move('new', 'duplicate')).toMatchObject({ endsEmbargo: true, discloses: false });
    expect(move('new', 'triaged')).toMatchObject({ notifiesVendors: false, endsEmbargo: false, discloses: false });
  });

  it('counts every state as open or closed, never both', () => {
    for (const s of CASE_STATES as readonly CaseState[]) {
      expect(isOpen(s)).toBe(OPEN_STATES.includes(s));
      expect(isOpen(s)).not.toBe(CLOSED_STATES.includes(s));
      expect(embargoRuns(s)).toBe(isOpen(s));
    }
  });
});

describe('embargo', () => {
  it('gives 90 days from the report, 7 when exploited in the wild', () => {
    expect(disclosureDeadline(at('2026-12-01T00:00:00Z'), false).toISOString()).toBe('2027-03-01T00:00:00.000Z');
    expect(disclosureDeadline(at('2026-12-01T00:00:00Z'), true).toISOString()).toBe('2026-12-08T00:00:00.000Z');
  });

  it('reminds 7 days and 1 day before the deadline, and fires at the deadline', () => {
    const timers = deadlineTimers(at('2027-03-01T00:00:00Z'), at('2026-12-01T00:00:00Z'));
    expect(timers).toEqual([
      { kind: 'case.deadline-approaching', dueAt: at('2027-02-22T00:00:00Z'), payload: { remaining: '7d' } },
      { kind: 'case.deadline-approaching', dueAt: at('2027-02-28T00:00:00Z'), payload: { remaining: '1d' } },
      { kind: 'case.deadline-reached', dueAt: at('2027-03-01T00:00:00Z'), payload: {} },
    ]);
  });

  it('leaves out reminders already past', () => {
    const timers = deadlineTimers(at('2026-12-08T00:00:00Z'), at('2026-12-05T00:00:00Z'));
    expect(timers.map((t) => t.payload)).toEqual([{ remaining: '1d' }, {}]);
  });

  it('extends only later, with a note saying to when and why', () => {
    const c = { state: 'triaged' as const, deadlineAt: at('2027-03-01T00:00:00Z') };
    expect(extendEmbargo(c, at('2027-04-01T00:00:00Z'), 'vendor needs time')).toEqual({ note: 'embargo extended to 2027-04-01T00:00:00.000Z: vendor needs time' });
    expect(() => extendEmbargo(c, at('2027-03-01T00:00:00Z'), 'same')).toThrow(RuleViolationError);
    expect(() => extendEmbargo(c, at('2027-02-01T00:00:00Z'), 'earlier')).toThrow('an embargo can only be extended');
  });

  it('refuses to extend the embargo of a closed case', () => {
    for (const state of CLOSED_STATES) {
      expect(() => extendEmbargo({ state, deadlineAt: at('2027-03-01T00:00:00Z') }, at('2027-04-01T00:00:00Z'), 'r')).toThrow(`a ${state} case has no embargo`);
    }
  });
});
