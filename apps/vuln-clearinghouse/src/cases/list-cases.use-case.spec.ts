import { CaseStore } from './case-store';
import { AGENCY, recordingStore, TX } from './fakes.testing';
import { ListCasesUseCase } from './list-cases.use-case';

describe('ListCasesUseCase', () => {
  it('lists the cases visible to the caller, in the state asked for', async () => {
    const { store, called } = recordingStore<CaseStore>({ visibleTo: () => [{ id: 'c1' }, { id: 'c2' }] as never });
    await expect(new ListCasesUseCase(store).execute({ state: 'triaged', caller: AGENCY }, TX)).resolves.toEqual({ items: [{ id: 'c1' }, { id: 'c2' }] });
    expect(called('visibleTo')).toEqual([[AGENCY, 'triaged']]);
  });

  it('lists every state when none is asked for', async () => {
    const { store, called } = recordingStore<CaseStore>({ visibleTo: () => [] });
    await expect(new ListCasesUseCase(store).execute({ caller: AGENCY }, TX)).resolves.toEqual({ items: [] });
    expect(called('visibleTo')).toEqual([[AGENCY, undefined]]);
  });
});
