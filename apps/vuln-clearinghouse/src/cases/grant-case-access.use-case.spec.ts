import { ForbiddenError, NotFoundError } from '@vantage/contracts';
import { CaseStore } from './case-store';
import { aCase, ANALYST, CASE_ID, clock, LAB, NOW, recordingStore, TX } from './fakes.testing';
import { GrantCaseAccessUseCase } from './grant-case-access.use-case';

describe('GrantCaseAccessUseCase', () => {
  it('adds the organisation to the need-to-know list, in the history', async () => {
    const { store, called } = recordingStore<CaseStore>({ lock: () => aCase(), view: (id) => ({ id }) as never });
    await expect(new GrantCaseAccessUseCase(store, clock).execute({ caseId: CASE_ID, orgId: 'org-new', caller: ANALYST }, TX)).resolves.toEqual({ id: CASE_ID });
    expect(called('grant')).toEqual([[CASE_ID, 'org-new', 'added']]);
    expect(called('history')).toEqual([[CASE_ID, { from: 'triaged', to: 'triaged', actor: ANALYST.orgId, note: 'need-to-know granted to org-new', at: NOW }]]);
  });

  it('refuses anyone but an analyst, and a case that does not exist', async () => {
    const { store, calls } = recordingStore<CaseStore>({ lock: () => undefined });
    await expect(new GrantCaseAccessUseCase(store, clock).execute({ caseId: CASE_ID, orgId: 'o', caller: LAB }, TX)).rejects.toThrow(ForbiddenError);
    expect(calls).toEqual([]);
    await expect(new GrantCaseAccessUseCase(store, clock).execute({ caseId: CASE_ID, orgId: 'o', caller: ANALYST }, TX)).rejects.toThrow(NotFoundError);
  });
});
