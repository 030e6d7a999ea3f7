import { EntityManager } from 'typeorm';
import { CallerIdentity, Clearance } from '@vantage/contracts';
import { ListSuitesUseCase } from './list-suites.use-case';
import { SuiteRow } from './suite';
import { SuiteStore } from './suite-store';

const tx = {} as EntityManager;
const row = (name: string, classification: Clearance): SuiteRow => ({
  id: name, name, version: '1', classification, scorer: 'exact', threshold: null, epochs: 1, item_count: 1, content_hash: 'h', active: true,
  created_at: new Date('2026-11-26T00:00:00Z'),
});
const useCase = new ListSuitesUseCase({ list: async () => [row('open', 'unclassified'), row('cui', 'cui'), row('secret', 'secret')] } as unknown as SuiteStore);
const names = async (caller: CallerIdentity, classification?: Clearance) => (await useCase.execute({ caller, classification }, tx)).items.map((s) => s.name);

describe('ListSuitesUseCase (unit)', () => {
  it('lists for operators every suite, for an agency those its clearance covers, for a lab none', async () => {
    expect(await names({ kind: 'operator', orgId: 'op' })).toEqual(['open', 'cui', 'secret']);
    expect(await names({ kind: 'agency', orgId: 'ag', clearance: 'cui' })).toEqual(['open', 'cui']);
    expect(await names({ kind: 'lab', orgId: 'lab' })).toEqual([]);
  });

  it('lists only the classification asked for, within what the caller may read', async () => {
    expect(await names({ kind: 'operator', orgId: 'op' }, 'secret')).toEqual(['secret']);
    expect(await names({ kind: 'agency', orgId: 'ag', clearance: 'cui' }, 'secret')).toEqual([]);
  });
});
