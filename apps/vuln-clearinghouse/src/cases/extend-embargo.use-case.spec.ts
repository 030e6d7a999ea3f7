import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '@vantage/contracts';
import { CaseStore } from './case-store';
import { ExtendEmbargoUseCase } from './extend-embargo.use-case';
import { aCase, ANALYST, CASE_ID, clock, LAB, NOW, recordingStore, TX } from './fakes.testing';

const LATER = new Date('2027-06-01T00:00:00.000Z');

function setUp(c = aCase()) {
  const cases = recordingStore<CaseStore>({ lock: () => c, view: (id) => ({ id }) as never });
  return { ...cases, useCase: new ExtendEmbargoUseCase(cases.store, clock) };
}

describe('ExtendEmbargoUseCase', () => {
  it('moves the deadline later, writes why in the history, and moves the reminders', async () => {
    const { useCase, called } = setUp();
    await expect(useCase.execute({ caseId: CASE_ID, deadlineAt: LATER, reason: 'vendor asked', caller: ANALYST }, TX)).resolves.toEqual({ id: CASE_ID });
    expect(called('setDeadline')).toEqual([[CASE_ID, LATER, NOW]]);
    expect(called('history')).toEqual([[CASE_ID, { from: 'triaged', to: 'triaged', actor: ANALYST.orgId, note: `embargo extended to ${LATER.toISOString()}: vendor asked`, at: NOW }]]);
    expect(called('rescheduleDeadline')).toEqual([[CASE_ID, LATER, NOW]]);
  });

  it('refuses an earlier deadline and a closed case, changing nothing', async () => {
    const early = setUp();
    await expect(early.useCase.execute({ caseId: CASE_ID, deadlineAt: new Date('2026-12-31T00:00:00Z'), reason: 'r', caller: ANALYST }, TX)).rejects.toThrow(RuleViolationError);
    expect(early.called('setDeadline')).toEqual([]);
    const closed = setUp(aCase({ state: 'disclosed' }));
    await expect(closed.useCase.execute({ caseId: CASE_ID, deadlineAt: LATER, reason: 'r', caller: ANALYST }, TX)).rejects.toThrow(ConflictError);
  });

  it('refuses anyone but an analyst, and a case that does not exist', async () => {
    await expect(setUp().useCase.execute({ caseId: CASE_ID, deadlineAt: LATER, reason: 'r', caller: LAB }, TX)).rejects.toThrow(ForbiddenError);
    const { store } = recordingStore<CaseStore>({ lock: () => undefined });
    await expect(new ExtendEmbargoUseCase(store, clock).execute({ caseId: CASE_ID, deadlineAt: LATER, reason: 'r', caller: ANALYST }, TX)).rejects.toThrow(NotFoundError);
  });
});
