import { issueApiKey } from '@vantage/crypto';
import { assertBootstrapKeyFormat, BOOTSTRAP_OPERATOR_ORG_ID, bootstrapKeyId, configuredKey } from './bootstrap-key';

describe('the bootstrap key', () => {
  const key = issueApiKey('operator').key;

  it('has an id of its own for each value', () => {
    expect(bootstrapKeyId(key)).toMatch(/^bootstrap-operator-[0-9a-f]{12}$/);
    expect(bootstrapKeyId(issueApiKey('operator').key)).not.toBe(bootstrapKeyId(key));
  });

  it('must be a Vantage key, when set', () => {
    expect(() => assertBootstrapKeyFormat(undefined)).not.toThrow();
    expect(() => assertBootstrapKeyFormat(key)).not.toThrow();
    expect(() => assertBootstrapKeyFormat('not-a-key')).toThrow(/not a Vantage key/);
  });

  it('is new, or known as it is (a revoked one stays revoked), and never a key issued to an organisation', () => {
    expect(configuredKey(key, undefined)).toEqual({ id: bootstrapKeyId(key), revoked: false, isNew: true });
    expect(configuredKey(key, { id: 'bootstrap-x', orgId: BOOTSTRAP_OPERATOR_ORG_ID, revoked: true })).toEqual({ id: 'bootstrap-x', revoked: true, isNew: false });
    expect(() => configuredKey(key, { id: 'k1', orgId: 'some-org', revoked: false })).toThrow(/issued to an organisation/);
  });
});
