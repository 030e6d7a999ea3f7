import { NotFoundError } from '@vantage/contracts';
import { fakeWindowStore, grantRow, LAB_ID, SUBMISSION, TX, windowRow } from './fakes.testing';
import { GetWindowUseCase } from './get-window.use-case';
import { WindowStore } from './window-store';

describe('GetWindowUseCase', () => {
  const useCase = new GetWindowUseCase(fakeWindowStore([windowRow({ state: 'open' })], [grantRow('ag-1'), grantRow('ag-2', 'revoked')]) as unknown as WindowStore);

  it('shows the lab and operators every grant, and a granted agency only its own', async () => {
    const lab = await useCase.execute({ caller: { orgId: LAB_ID, kind: 'lab' }, submissionId: SUBMISSION }, TX);
    expect(lab).toMatchObject({ submissionId: SUBMISSION, state: 'open', grants: [{ agencyId: 'ag-1', state: 'active' }, { agencyId: 'ag-2', state: 'revoked' }] });
    expect((await useCase.execute({ caller: { orgId: 'op', kind: 'operator' }, submissionId: SUBMISSION }, TX)).grants).toHaveLength(2);
    expect((await useCase.execute({ caller: { orgId: 'ag-2', kind: 'agency' }, submissionId: SUBMISSION }, TX)).grants).toEqual([{ agencyId: 'ag-2', state: 'revoked' }]);
  });

  it("finds no window for another lab, an agency without a grant, or a window that does not exist", async () => {
    for (const caller of [{ orgId: 'lab-2', kind: 'lab' as const }, { orgId: 'ag-3', kind: 'agency' as const }]) {
      await expect(useCase.execute({ caller, submissionId: SUBMISSION }, TX)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(useCase.execute({ caller: { orgId: 'op', kind: 'operator' }, submissionId: 'nope' }, TX)).rejects.toBeInstanceOf(NotFoundError);
  });
});
