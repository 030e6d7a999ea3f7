import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { ConflictError, ForbiddenError, SuiteMetadataInput } from '@vantage/contracts';
import { StartSuiteUploadUseCase } from './start-suite-upload.use-case';
import { UPLOAD_TTL_MS } from './suite';
import { SuiteStore } from './suite-store';

const NOW = new Date('2026-11-26T00:00:00Z');
const tx = {} as EntityManager;
const suite: SuiteMetadataInput = { name: 'arith', version: '1', classification: 'secret', scorer: 'numeric' };
const operator = { kind: 'operator' as const, orgId: 'op' };

function world(exists: boolean) {
  const calls: unknown[][] = [];
  const store = {
    dropExpiredUploads: async (_tx: EntityManager, now: Date) => void calls.push(['dropExpiredUploads', now]),
    exists: async (_tx: EntityManager, name: string, version: string) => (calls.push(['exists', name, version]), exists),
    createUpload: async (_tx: EntityManager, s: SuiteMetadataInput, now: Date, expiresAt: Date) => (calls.push(['createUpload', s, now, expiresAt]), 'upload'),
  };
  return { useCase: new StartSuiteUploadUseCase(store as unknown as SuiteStore, { now: () => NOW } as Clock), calls };
}

describe('StartSuiteUploadUseCase (unit)', () => {
  it('drops uploads left by dead uploaders and starts one that expires in an hour', async () => {
    const w = world(false);
    expect(await w.useCase.execute({ caller: operator, suite, idempotent: false }, tx)).toEqual({ uploadId: 'upload' });
    expect(w.calls).toEqual([
      ['dropExpiredUploads', NOW], ['exists', 'arith', '1'], ['createUpload', suite, NOW, new Date(NOW.getTime() + UPLOAD_TTL_MS)],
    ]);
  });

  it('refuses a version that exists, unless an Idempotency-Key leaves that to the seal', async () => {
    await expect(world(true).useCase.execute({ caller: operator, suite, idempotent: false }, tx)).rejects.toThrow(ConflictError);
    const w = world(true);
    await w.useCase.execute({ caller: operator, suite, idempotent: true }, tx);
    expect(w.calls.map((c) => c[0])).toEqual(['dropExpiredUploads', 'createUpload']);
  });

  it('is for operators only, refused before anything is touched', async () => {
    const w = world(false);
    await expect(w.useCase.execute({ caller: { kind: 'lab', orgId: 'lab' }, suite, idempotent: false }, tx)).rejects.toThrow(ForbiddenError);
    expect(w.calls).toEqual([]);
  });
});
