import { EntityManager } from 'typeorm';
import { ManualClock } from '@vantage/clock';
import { CreateOrganisationUseCase } from './create-organisation.use-case';
import { Organisation } from './organisation.entity';
import { OrganisationStore } from './organisation-store';

const tx = {} as EntityManager;

function setUp() {
  const inserted: Organisation[] = [];
  const organisations = { insert: async (_tx: EntityManager, org: Organisation) => void inserted.push(org) };
  return { useCase: new CreateOrganisationUseCase(organisations as unknown as OrganisationStore, new ManualClock('2026-11-26T12:00:00Z')), inserted };
}

describe('CreateOrganisationUseCase', () => {
  it('stores an agency with its clearance', async () => {
    const { useCase, inserted } = setUp();
    const org = await useCase.execute({ name: 'Agency A', kind: 'agency', clearance: 'secret' }, tx);
    expect(inserted).toEqual([org]);
    expect(org).toMatchObject({ name: 'Agency A', kind: 'agency', clearance: 'secret', createdAt: new Date('2026-11-26T12:00:00Z') });
    expect(org.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stores a lab with no clearance', async () => {
    const { useCase } = setUp();
    expect(await useCase.execute({ name: 'Acme AI', kind: 'lab' }, tx)).toMatchObject({ kind: 'lab', clearance: null });
  });

  it('stores nothing when the clearance does not fit the kind', async () => {
    const { useCase, inserted } = setUp();
    await expect(useCase.execute({ name: 'Agency B', kind: 'agency' }, tx)).rejects.toMatchObject({ code: 'clearance_required' });
    await expect(useCase.execute({ name: 'Lab', kind: 'lab', clearance: 'secret' }, tx)).rejects.toMatchObject({ code: 'clearance_not_applicable' });
    expect(inserted).toEqual([]);
  });
});
