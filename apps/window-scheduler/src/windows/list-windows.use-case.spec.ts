import { fakeWindowStore, grantRow, LAB_ID, TX, windowRow } from './fakes.testing';
import { ListWindowsUseCase } from './list-windows.use-case';
import { WindowStore } from './window-store';

describe('ListWindowsUseCase', () => {
  const other = '0190d1f6-0000-7000-8000-0000000000a2';
  const useCase = new ListWindowsUseCase(
    fakeWindowStore([windowRow({ state: 'open' }), windowRow({ submissionId: other, labId: 'lab-2' })], [grantRow('ag-1'), grantRow('ag-2')]) as unknown as WindowStore,
  );

  it("lists a lab's own windows, an agency's granted ones with only its grant, all for an operator, and none for anyone else", async () => {
    expect((await useCase.execute({ caller: { orgId: LAB_ID, kind: 'lab' } }, TX)).items.map((w) => w.state)).toEqual(['open']);
    expect((await useCase.execute({ caller: { orgId: 'ag-1', kind: 'agency' } }, TX)).items.map((w) => w.grants)).toEqual([[{ agencyId: 'ag-1', state: 'active' }]]);
    expect((await useCase.execute({ caller: { orgId: 'op', kind: 'operator' } }, TX)).items).toHaveLength(2);
    expect((await useCase.execute({ caller: { orgId: 'op', kind: 'operator' }, state: 'scheduled' }, TX)).items.map((w) => w.submissionId)).toEqual([other]);
    expect((await useCase.execute({ caller: { orgId: 'ch', kind: 'clearinghouse' } }, TX)).items).toEqual([]);
  });
});
