import { EntityManager } from 'typeorm';
import { ManualClock } from '@vantage/clock';
import { hashApiKey, issueApiKey } from '@vantage/crypto';
import { ApiKeyStore } from './api-key-store';
import { BOOTSTRAP_OPERATOR_ORG_ID, bootstrapKeyId } from './bootstrap-key';
import { OrganisationStore } from './organisation-store';
import { SetBootstrapKeyUseCase } from './set-bootstrap-key.use-case';

const tx = {} as EntityManager;
const now = new Date('2026-11-26T12:00:00Z');

/** Keys by hash, as a plain-object store; `steps` lists what was written, in order. */
function setUp(stored: { id: string; orgId: string; keyHash: string; revoked: boolean }[] = []) {
  const steps: string[] = [];
  const organisations = { ensureOperators: async (_tx: EntityManager, id: string) => void steps.push(`operators ${id}`) };
  const keys = {
    findByHash: async (_tx: EntityManager, keyHash: string) => stored.find((k) => k.keyHash === keyHash),
    insertIfAbsent: async (_tx: EntityManager, key: { id: string; orgId: string; keyHash: string }) => {
      steps.push(`insert ${key.id}`);
      stored.push({ ...key, revoked: false });
    },
    revokeByPrefixExcept: async (_tx: EntityManager, orgId: string, prefix: string, keep: string) => {
      const revoked = stored.filter((k) => k.orgId === orgId && k.id.startsWith(prefix) && k.id !== keep && !k.revoked);
      revoked.forEach((k) => (k.revoked = true));
      steps.push(`revoke all but '${keep}'`);
      return revoked.map((k) => k.id);
    },
    announceChange: async (_tx: EntityManager, keyId?: string) => void steps.push(`announce ${keyId ?? 'all'}`),
  };
  const useCase = new SetBootstrapKeyUseCase(organisations as unknown as OrganisationStore, keys as unknown as ApiKeyStore, new ManualClock(now));
  return { useCase, steps, stored };
}

describe('SetBootstrapKeyUseCase', () => {
  const key = issueApiKey('operator').key;
  const id = bootstrapKeyId(key);

  it('makes a new configured key, revokes every other bootstrap key and tells every replica', async () => {
    const { useCase, steps } = setUp([{ id: 'bootstrap-old', orgId: BOOTSTRAP_OPERATOR_ORG_ID, keyHash: 'h-old', revoked: false }]);
    expect(await useCase.execute({ key }, tx)).toEqual({ current: { id, revoked: false }, revoked: ['bootstrap-old'] });
    expect(steps).toEqual([`operators ${BOOTSTRAP_OPERATOR_ORG_ID}`, `insert ${id}`, `revoke all but '${id}'`, 'announce all']);
  });

  it('leaves a known key as it is: a revoked one stays revoked', async () => {
    const { useCase, steps } = setUp([{ id, orgId: BOOTSTRAP_OPERATOR_ORG_ID, keyHash: hashApiKey(key), revoked: true }]);
    expect(await useCase.execute({ key }, tx)).toEqual({ current: { id, revoked: true }, revoked: [] });
    expect(steps).not.toContain(`insert ${id}`);
  });

  it('revokes every bootstrap key when none is configured', async () => {
    const { useCase, steps } = setUp([{ id: 'bootstrap-old', orgId: BOOTSTRAP_OPERATOR_ORG_ID, keyHash: 'h-old', revoked: false }]);
    expect(await useCase.execute({}, tx)).toEqual({ current: undefined, revoked: ['bootstrap-old'] });
    expect(steps).toEqual(["revoke all but ''", 'announce all']);
  });

  it('refuses a value that is not a Vantage key, or a key issued to an organisation', async () => {
    await expect(setUp().useCase.execute({ key: 'nonsense' }, tx)).rejects.toThrow(/not a Vantage key/);
    const issued = issueApiKey();
    const { useCase } = setUp([{ id: issued.id, orgId: 'org-1', keyHash: issued.hash, revoked: false }]);
    await expect(useCase.execute({ key: issued.key }, tx)).rejects.toThrow(/issued to an organisation/);
  });
});
