import { CaseDisclosed, CaseStateChanged, CaseVendorNotified, ConflictError, ForbiddenError, NotFoundError } from '@vantage/contracts';
import { CaseStore } from './case-store';
import { aCase, ANALYST, CASE_ID, clock, LAB, NOW, recordingStore, TX } from './fakes.testing';
import { TransitionCaseUseCase } from './transition-case.use-case';

function setUp(c = aCase()) {
  const cases = recordingStore<CaseStore>({
    lock: () => c, vendorsOf: () => [{ id: 'v1', name: 'Acme', orgId: 'org-acme' }], view: (id) => ({ id }) as never,
  });
  return { ...cases, useCase: new TransitionCaseUseCase(cases.store, clock) };
}

describe('TransitionCaseUseCase', () => {
  it('moves the case, writes its history and announces the change', async () => {
    const { useCase, called } = setUp(aCase({ state: 'new' }));
    await expect(useCase.execute({ caseId: CASE_ID, to: 'triaged', note: 'looked at', caller: ANALYST }, TX)).resolves.toEqual({ id: CASE_ID });
    expect(called('setState')).toEqual([[CASE_ID, 'triaged', NOW]]);
    expect(called('history')).toEqual([[CASE_ID, { from: 'new', to: 'triaged', actor: ANALYST.orgId, note: 'looked at', at: NOW }]]);
    expect(called('announce')).toEqual([
      [CaseStateChanged, CASE_ID, { caseId: CASE_ID, title: aCase().title, state: 'triaged', from: 'new', note: 'looked at', changedAt: NOW.toISOString() }, false],
    ]);
    expect(called('endEmbargo')).toEqual([]);
  });

  it('tells each matched vendor when the case reaches vendor-notified', async () => {
    const { useCase, called } = setUp();
    await useCase.execute({ caseId: CASE_ID, to: 'vendor-notified', note: 'n', caller: ANALYST }, TX);
    expect(called('markVendorNotified')).toEqual([[CASE_ID, 'v1', NOW]]);
    expect(called('announce')[1]).toEqual([
      CaseVendorNotified, CASE_ID,
      { caseId: CASE_ID, title: aCase().title, state: 'vendor-notified', vendorId: 'v1', vendorName: 'Acme', deadlineAt: aCase().deadlineAt.toISOString() },
    ]);
  });

  it('discloses to everyone and ends the embargo', async () => {
    const { useCase, called } = setUp();
    await useCase.execute({ caseId: CASE_ID, to: 'disclosed', note: 'n', caller: ANALYST }, TX);
    expect(called('endEmbargo')).toEqual([[CASE_ID]]);
    expect(called('announce').map((a) => [a[0], a[3]])).toEqual([[CaseStateChanged, true], [CaseDisclosed, true]]);
  });

  it('ends the embargo of a rejected case without disclosing it', async () => {
    const { useCase, called } = setUp(aCase({ state: 'new' }));
    await useCase.execute({ caseId: CASE_ID, to: 'rejected', note: 'n', caller: ANALYST }, TX);
    expect(called('endEmbargo')).toEqual([[CASE_ID]]);
    expect(called('announce').map((a) => a[0])).toEqual([CaseStateChanged]);
  });

  it('refuses an illegal move and changes nothing', async () => {
    const { useCase, called } = setUp(aCase({ state: 'new' }));
    await expect(useCase.execute({ caseId: CASE_ID, to: 'disclosed', note: 'n', caller: ANALYST }, TX)).rejects.toThrow(ConflictError);
    expect(called('setState')).toEqual([]);
  });

  it('refuses anyone but an analyst, and a case that does not exist', async () => {
    await expect(setUp().useCase.execute({ caseId: CASE_ID, to: 'rejected', note: 'n', caller: LAB }, TX)).rejects.toThrow(ForbiddenError);
    const { store } = recordingStore<CaseStore>({ lock: () => undefined });
    await expect(new TransitionCaseUseCase(store, clock).execute({ caseId: CASE_ID, to: 'rejected', note: 'n', caller: ANALYST }, TX)).rejects.toThrow(NotFoundError);
  });
});
