import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { ConflictError, ForbiddenError, NotFoundError, SuiteView } from '@vantage/contracts';
import { IdempotencyClaim, IdempotencyKeys } from '@vantage/persistence';
import { SealSuiteUploadUseCase } from './seal-suite-upload.use-case';
import { contentHash, SuiteItem, SuiteRow } from './suite';
import { SuiteStore, UploadRow } from './suite-store';

const NOW = new Date('2026-11-26T00:00:00Z');
const tx = {} as EntityManager;
const operator = { kind: 'operator' as const, orgId: 'op' };
const items: SuiteItem[] = [{ id: 'a', input: '2+2', target: '4' }, { id: 'b', input: '3+3', target: '6' }];
const upload = { id: 'upload', name: 'arith', version: '1', classification: 'secret', scorer: 'numeric', threshold: 0.6, epochs: 1 } as UploadRow;
const row: SuiteRow = {
  id: 'upload', name: 'arith', version: '1', classification: 'secret', scorer: 'numeric', threshold: 0.6, epochs: 1, item_count: 2,
  content_hash: contentHash(items), active: true, created_at: NOW,
};
const sealRequest = { uploadId: 'upload', itemCount: 2, contentHash: contentHash(items) };

function world(opts: { found?: boolean; taken?: boolean; replayed?: SuiteView } = {}) {
  const calls: unknown[][] = [];
  const store = {
    lockUpload: async (_tx: EntityManager, id: string) => (calls.push(['lockUpload', id]), opts.found === false ? undefined : upload),
    openChunks: async () => items,
    createSuite: async (_tx: EntityManager, u: UploadRow, n: number, hash: string, now: Date) => (
      calls.push(['createSuite', u.id, n, hash, now]), opts.taken ? undefined : row),
    dropUpload: async (_tx: EntityManager, id: string) => void calls.push(['dropUpload', id]),
  };
  const keys = {
    run: async (_tx: EntityManager, claim: IdempotencyClaim | undefined, now: Date, work: () => Promise<SuiteView>) => {
      calls.push(['claim', claim, now]);
      return opts.replayed ? { body: opts.replayed, replayed: true } : { body: await work(), replayed: false };
    },
  };
  return { useCase: new SealSuiteUploadUseCase(store as unknown as SuiteStore, keys as unknown as IdempotencyKeys, { now: () => NOW } as Clock), calls };
}

describe('SealSuiteUploadUseCase (unit)', () => {
  it('makes the upload an active suite when it holds what was sent', async () => {
    const w = world();
    expect(await w.useCase.execute({ caller: operator, ...sealRequest }, tx)).toMatchObject({ id: 'upload', itemCount: 2, active: true });
    expect(w.calls).toEqual([['claim', undefined, NOW], ['lockUpload', 'upload'], ['createSuite', 'upload', 2, contentHash(items), NOW]]);
  });

  it('claims the Idempotency-Key for the caller\'s organisation; a repeat answers the first suite and drops its copy', async () => {
    const first = { id: 'first' } as SuiteView;
    const w = world({ replayed: first });
    const idempotency = { key: 'k', requestHash: 'h' };
    expect(await w.useCase.execute({ caller: operator, ...sealRequest, idempotency }, tx)).toBe(first);
    expect(w.calls).toEqual([['claim', { orgId: 'op', key: 'k', requestHash: 'h' }, NOW], ['dropUpload', 'upload']]);
  });

  it('refuses an upload that does not hold what was sent, and creates nothing', async () => {
    const w = world();
    await expect(w.useCase.execute({ caller: operator, ...sealRequest, itemCount: 3 }, tx)).rejects.toThrow(ConflictError);
    expect(w.calls.map((c) => c[0])).toEqual(['claim', 'lockUpload']);
  });

  it('refuses a version that was sealed meanwhile', async () => {
    const w = world({ taken: true });
    await expect(w.useCase.execute({ caller: operator, ...sealRequest }, tx)).rejects.toThrow(expect.objectContaining({ code: 'suite_exists' }));
    expect(w.calls.at(-1)).toEqual(['dropUpload', 'upload']);
  });

  it('does not find an upload that expired or never was', async () => {
    await expect(world({ found: false }).useCase.execute({ caller: operator, ...sealRequest }, tx)).rejects.toThrow(NotFoundError);
  });

  it('is for operators only', async () => {
    const w = world();
    await expect(w.useCase.execute({ caller: { kind: 'lab', orgId: 'lab' }, ...sealRequest }, tx)).rejects.toThrow(ForbiddenError);
    expect(w.calls).toEqual([]);
  });
});
