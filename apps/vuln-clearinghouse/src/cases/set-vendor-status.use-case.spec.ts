import { CaseVendorStatusChanged, ForbiddenError, NotFoundError } from '@vantage/contracts';
import { CaseStore } from './case-store';
import { aCase, ANALYST, CASE_ID, clock, LAB, NOW, recordingStore, TX } from './fakes.testing';
import { SetVendorStatusUseCase } from './set-vendor-status.use-case';
import { VendorOnCase } from './vendor';

function setUp(vendor: VendorOnCase | undefined, c = aCase(), access = { state: c.state, listed: true }) {
  const cases = recordingStore<CaseStore>({ access: () => access, lock: () => c, vendorOnCase: () => vendor, view: (id) => ({ id }) as never });
  return { ...cases, useCase: new SetVendorStatusUseCase(cases.store, clock) };
}

const ACME: VendorOnCase = { id: 'v1', name: 'Acme', orgId: 'org-lab', status: 'unknown' };

describe('SetVendorStatusUseCase', () => {
  it("lets the vendor's own organisation set its status, in the history, announced to need-to-know", async () => {
    const { useCase, called } = setUp(ACME);
    await expect(useCase.execute({ caseId: CASE_ID, vendorId: 'v1', status: 'fixed', note: 'in 2.0', caller: LAB }, TX)).resolves.toEqual({ id: CASE_ID });
    expect(called('setVendorStatus')).toEqual([[CASE_ID, 'v1', 'fixed']]);
    expect(called('attachVendor')).toEqual([]);
    expect(called('touch')).toEqual([[CASE_ID, NOW]]);
    expect(called('history')).toEqual([[CASE_ID, { from: 'triaged', to: 'triaged', actor: LAB.orgId, note: 'vendor Acme (v1) status unknown → fixed: in 2.0', at: NOW }]]);
    expect(called('announce')).toEqual([[CaseVendorStatusChanged, CASE_ID, {
      caseId: CASE_ID, title: aCase().title, state: 'triaged', vendorId: 'v1', vendorName: 'Acme', from: 'unknown', status: 'fixed', changedAt: NOW.toISOString(),
    }, false]]);
  });

  it('lets an analyst bring in a vendor the case does not list', async () => {
    const { useCase, called } = setUp({ ...ACME, status: null }, aCase(), { state: 'triaged', listed: false });
    await useCase.execute({ caseId: CASE_ID, vendorId: 'v1', status: 'affected', caller: ANALYST }, TX);
    expect(called('attachVendor')).toEqual([[CASE_ID, { ...ACME, status: null }, 'affected']]);
    expect(called('setVendorStatus')).toEqual([]);
  });

  it('announces to everyone on a disclosed case', async () => {
    const { useCase, called } = setUp(ACME, aCase({ state: 'disclosed' }));
    await useCase.execute({ caseId: CASE_ID, vendorId: 'v1', status: 'fixed', caller: ANALYST }, TX);
    expect(called('announce')[0][3]).toBe(true);
  });

  it('tells a stranger the case does not exist, and refuses another organisation on the case', async () => {
    await expect(setUp(ACME, aCase(), { state: 'triaged', listed: false }).useCase.execute({ caseId: CASE_ID, vendorId: 'v1', status: 'fixed', caller: LAB }, TX))
      .rejects.toThrow(NotFoundError);
    const { useCase, called } = setUp({ ...ACME, orgId: 'org-other' });
    await expect(useCase.execute({ caseId: CASE_ID, vendorId: 'v1', status: 'fixed', caller: LAB }, TX)).rejects.toThrow(ForbiddenError);
    expect(called('setVendorStatus')).toEqual([]);
  });
});
