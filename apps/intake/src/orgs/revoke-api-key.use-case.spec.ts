import { EntityManager } from 'typeorm';
import { ManualClock } from '@vantage/clock';
import { ApiKeyStore } from './api-key-store';
import { RevokeApiKeyUseCase } from './revoke-api-key.use-case';

const tx = {} as EntityManager;

function setUp() {
  const revoked: [string, Date][] = [];
  const keys = {
    find: async (_tx: EntityManager, orgId: string, keyId: string) => (orgId === 'org-1' && keyId === 'k1' ? { id: keyId, orgId } : undefined),
    revoke: async (_tx: EntityManager, keyId: string, now: Date) => void revoked.push([keyId, now]),
  };
  return { useCase: new RevokeApiKeyUseCase(keys as unknown as ApiKeyStore, new ManualClock('2026-11-26T12:00:00Z')), revoked };
}

describe('RevokeApiKeyUseCase', () => {
  it("revokes the organisation's key now", async () => {
    const { useCase, revoked } = setUp();
    await useCase.execute({ orgId: 'org-1', keyId: 'k1' }, tx);
    expect(revoked).toEqual([['k1', new Date('2026-11-26T12:00:00Z')]]);
  });

  it("does not find another organisation's key, or an unknown one", async () => {
    const { useCase, revoked } = setUp();
    await expect(useCase.execute({ orgId: 'org-2', keyId: 'k1' }, tx)).rejects.toMatchObject({ status: 404 });
    await expect(useCase.execute({ orgId: 'org-1', keyId: 'k2' }, tx)).rejects.toMatchObject({ status: 404 });
    expect(revoked).toEqual([]);
  });
});
