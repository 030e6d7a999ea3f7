import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { ForbiddenError, NotFoundError, RuleViolationError } from '@vantage/contracts';
import { AppendSuiteItemsUseCase } from './append-suite-items.use-case';
import { SuiteItem } from './suite';
import { SuiteStore, UploadRow } from './suite-store';

const NOW = new Date('2026-11-26T00:00:00Z');
const tx = {} as EntityManager;
const operator = { kind: 'operator' as const, orgId: 'op' };
const item = (id: string, target = '4'): SuiteItem => ({ id, input: '2+2', target });
const upload = { id: 'upload', scorer: 'numeric', item_count: 3, next_seq: 1 } as UploadRow;

function world(found: UploadRow | undefined) {
  const calls: unknown[][] = [];
  const store = {
    lockUpload: async (_tx: EntityManager, id: string, now: Date) => (calls.push(['lockUpload', id, now]), found),
    appendChunk: async (_tx: EntityManager, u: UploadRow, seq: number, items: SuiteItem[]) => void calls.push(['appendChunk', u.id, seq, items]),
  };
  return { useCase: new AppendSuiteItemsUseCase(store as unknown as SuiteStore, { now: () => NOW } as Clock), calls };
}

describe('AppendSuiteItemsUseCase (unit)', () => {
  it('stores the next chunk and answers the count so far', async () => {
    const w = world(upload);
    expect(await w.useCase.execute({ caller: operator, uploadId: 'upload', seq: 1, items: [item('d'), item('e')] }, tx)).toEqual({ itemCount: 5 });
    expect(w.calls).toEqual([['lockUpload', 'upload', NOW], ['appendChunk', 'upload', 1, [item('d'), item('e')]]]);
  });

  it('takes a chunk sent again once', async () => {
    const w = world(upload);
    expect(await w.useCase.execute({ caller: operator, uploadId: 'upload', seq: 0, items: [item('a')] }, tx)).toEqual({ itemCount: 3 });
    expect(w.calls.map((c) => c[0])).toEqual(['lockUpload']);
  });

  it('stores nothing of a chunk it could not score', async () => {
    const w = world(upload);
    await expect(w.useCase.execute({ caller: operator, uploadId: 'upload', seq: 1, items: [item('d', 'four')] }, tx)).rejects.toThrow(RuleViolationError);
    expect(w.calls.map((c) => c[0])).toEqual(['lockUpload']);
  });

  it('does not find an upload that expired or never was', async () => {
    await expect(world(undefined).useCase.execute({ caller: operator, uploadId: 'gone', seq: 0, items: [item('a')] }, tx)).rejects.toThrow(NotFoundError);
  });

  it('is for operators only', async () => {
    const w = world(upload);
    await expect(w.useCase.execute({ caller: { kind: 'agency', orgId: 'ag' }, uploadId: 'upload', seq: 1, items: [item('d')] }, tx)).rejects.toThrow(ForbiddenError);
    expect(w.calls).toEqual([]);
  });
});
