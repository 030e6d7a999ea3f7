import { EntityManager } from 'typeorm';
import { ManualClock } from '@vantage/clock';
import { apiKeyId, hashApiKey } from '@vantage/crypto';
import { ApiKey } from './api-key.entity';
import { ApiKeyStore } from './api-key-store';
import { IssueApiKeyUseCase } from './issue-api-key.use-case';
import { OrganisationStore } from './organisation-store';

const tx = {} as EntityManager;

function setUp() {
  const inserted: ApiKey[] = [];
  const organisations = { find: async (_tx: EntityManager, id: string) => (id === 'org-1' ? { id } : undefined) };
  const keys = { insert: async (_tx: EntityManager, key: ApiKey) => void inserted.push(key) };
  const useCase = new IssueApiKeyUseCase(organisations as unknown as OrganisationStore, keys as unknown as ApiKeyStore, new ManualClock('2026-11-26T12:00:00Z'));
  return { useCase, inserted };
}

describe('IssueApiKeyUseCase', () => {
  it('answers the key in clear and stores only its hash', async () => {
    const { useCase, inserted } = setUp();
    const issued = await useCase.execute({ orgId: 'org-1' }, tx);
    expect(apiKeyId(issued.key)).toBe(issued.id);
    expect(inserted).toEqual([{ id: issued.id, orgId: 'org-1', keyHash: hashApiKey(issued.key), createdAt: new Date('2026-11-26T12:00:00Z'), revokedAt: null }]);
  });

  it('does not issue a key to an unknown organisation', async () => {
    const { useCase, inserted } = setUp();
    await expect(useCase.execute({ orgId: 'nope' }, tx)).rejects.toMatchObject({ status: 404 });
    expect(inserted).toEqual([]);
  });
});
