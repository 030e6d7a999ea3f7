import { ForbiddenError, RuleViolationError } from '@vantage/contracts';
import { CreateVendorUseCase } from './create-vendor.use-case';
import { ANALYST, clock, freshKeys, LAB, NOW, recordingStore, TX } from './fakes.testing';
import { VendorStore } from './vendor-store';

const REQUEST = { name: 'Acme', purlPrefixes: ['pkg:npm/@ACME/'], contactUrl: 'mailto:security@acme.example' };

describe('CreateVendorUseCase', () => {
  it('adds the vendor with its prefixes normalised', async () => {
    const { store, called } = recordingStore<VendorStore>();
    const view = await new CreateVendorUseCase(store, clock, freshKeys).execute({ ...REQUEST, orgId: 'org-acme', caller: ANALYST }, TX);
    expect(view).toEqual({ id: view.id, name: 'Acme', purlPrefixes: ['pkg:npm/@acme/'], contactUrl: REQUEST.contactUrl, orgId: 'org-acme' });
    expect(called('insert')).toEqual([[{ id: view.id, name: 'Acme', purlPrefixes: ['pkg:npm/@acme/'], contactUrl: REQUEST.contactUrl, orgId: 'org-acme', createdAt: NOW }]]);
  });

  it('leaves out the organisation when the vendor has none', async () => {
    const { store, called } = recordingStore<VendorStore>();
    const view = await new CreateVendorUseCase(store, clock, freshKeys).execute({ ...REQUEST, caller: ANALYST }, TX);
    expect(view).not.toHaveProperty('orgId');
    expect(called('insert')[0][0]).toMatchObject({ orgId: null });
  });

  it('refuses anyone but an analyst, and a prefix that is no purl, adding nothing', async () => {
    const { store, calls } = recordingStore<VendorStore>();
    const useCase = new CreateVendorUseCase(store, clock, freshKeys);
    await expect(useCase.execute({ ...REQUEST, caller: LAB }, TX)).rejects.toThrow(ForbiddenError);
    await expect(useCase.execute({ ...REQUEST, purlPrefixes: ['npm/acme'], caller: ANALYST }, TX)).rejects.toThrow(RuleViolationError);
    expect(calls).toEqual([]);
  });
});
