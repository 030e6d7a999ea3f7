// The bootstrap operator key (VANTAGE_BOOTSTRAP_OPERATOR_KEY) across restarts: a revoked one stays revoked, and one
// no longer configured stops working.
import { hashApiKey, issueApiKey } from '@vantage/crypto';
import { TestEnvironment } from '@vantage/testing';
import { BOOTSTRAP_OPERATOR_ORG_ID } from '../src/orgs/bootstrap-operator';
import { Gateway } from './gateway-fixture';

jest.setTimeout(60_000);

describe('the bootstrap operator key', () => {
  let env: TestEnvironment;
  let gw: Gateway | undefined;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
  });
  afterAll(() => env?.dispose());

  /** Stops the running gateway and starts another with this bootstrap key (none: the variable unset). */
  const restart = async (bootstrapKey: string | undefined) => {
    await gw?.close();
    gw = await Gateway.start(env, { VANTAGE_BOOTSTRAP_OPERATOR_KEY: bootstrapKey ?? '' });
    return gw;
  };
  const works = async (key: string) => {
    const status = (await gw!.call('POST', '/v1/orgs', { key, body: { name: `made by ${key.slice(0, 16)}`, kind: 'lab' } })).status;
    expect([201, 401]).toContain(status);
    return status === 201;
  };
  const storedIdOf = async (key: string) => (await env.query('SELECT id FROM intake.api_keys WHERE key_hash = $1', [hashApiKey(key)]))[0]?.id as string;

  it('stays revoked when the gateway restarts with it still configured', async () => {
    const bootstrap = issueApiKey('operator').key;
    await restart(bootstrap);
    expect(await works(bootstrap)).toBe(true);
    // The operator makes a key of their own, then revokes the bootstrap key through the API.
    const own = await gw!.call('POST', `/v1/orgs/${BOOTSTRAP_OPERATOR_ORG_ID}/keys`, { key: bootstrap });
    expect(own.status).toBe(201);
    expect((await gw!.call('DELETE', `/v1/orgs/${BOOTSTRAP_OPERATOR_ORG_ID}/keys/${await storedIdOf(bootstrap)}`, { key: own.body.key })).status).toBe(204);
    expect(await works(bootstrap)).toBe(false);

    await restart(bootstrap);
    expect(await works(bootstrap)).toBe(false);
    expect(await works(own.body.key)).toBe(true);
  });

  it('stops working at the next start once the variable is removed', async () => {
    const bootstrap = issueApiKey('operator').key;
    await restart(bootstrap);
    expect(await works(bootstrap)).toBe(true);
    await restart(undefined);
    expect(await works(bootstrap)).toBe(false);
    // Configuring it again does not bring it back: it was revoked.
    await restart(bootstrap);
    expect(await works(bootstrap)).toBe(false);
  });

  it('is replaced by a new value, even under the same key id, and the old value stops working', async () => {
    const first = issueApiKey('operator').key;
    const second = issueApiKey('operator').key;
    await restart(first);
    expect(await works(first)).toBe(true);
    await restart(second);
    expect(await works(second)).toBe(true);
    expect(await works(first)).toBe(false);
    expect(await storedIdOf(second)).not.toBe(await storedIdOf(first));
  });

  it('is forgotten by a replica that remembered it, when another replica starts without it', async () => {
    const bootstrap = issueApiKey('operator').key;
    const first = await restart(bootstrap);
    expect(await works(bootstrap)).toBe(true);
    const second = await first.replica({ VANTAGE_BOOTSTRAP_OPERATOR_KEY: '' });
    try {
      // The replica that verified (and remembers) the key hears the restart's NOTIFY and forgets it.
      expect(await works(bootstrap)).toBe(false);
    } finally {
      await second.close();
    }
  });
});
