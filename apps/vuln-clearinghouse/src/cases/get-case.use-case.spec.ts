import { NotFoundError } from '@vantage/contracts';
import { CaseStore } from './case-store';
import { AGENCY, ANALYST, CASE_ID, recordingStore, TX } from './fakes.testing';
import { GetCaseUseCase } from './get-case.use-case';

describe('GetCaseUseCase', () => {
  it('shows the case to an organisation on its list', async () => {
    const { store, called } = recordingStore<CaseStore>({ access: () => ({ state: 'triaged', listed: true }), view: (id) => ({ id }) as never });
    await expect(new GetCaseUseCase(store).execute({ caseId: CASE_ID, caller: AGENCY }, TX)).resolves.toEqual({ id: CASE_ID });
    expect(called('access')).toEqual([[CASE_ID, AGENCY.orgId]]);
  });

  it('tells a stranger the case does not exist, and reads nothing more', async () => {
    const { store, called } = recordingStore<CaseStore>({ access: () => ({ state: 'triaged', listed: false }) });
    await expect(new GetCaseUseCase(store).execute({ caseId: CASE_ID, caller: AGENCY }, TX)).rejects.toThrow(NotFoundError);
    expect(called('view')).toEqual([]);
  });

  it('tells even the clearinghouse of a case that does not exist', async () => {
    const { store } = recordingStore<CaseStore>({ access: () => undefined });
    await expect(new GetCaseUseCase(store).execute({ caseId: CASE_ID, caller: ANALYST }, TX)).rejects.toThrow(NotFoundError);
  });
});
