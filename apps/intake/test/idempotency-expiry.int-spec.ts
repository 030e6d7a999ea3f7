// Idempotency-Keys live IDEMPOTENCY_KEY_TTL_HOURS: within it a repeat answers the first answer again; after it the
// key is new, the old answer (a sealed API key, say) is never shown again, and expired rows are deleted.
import { TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway } from './gateway-fixture';

jest.setTimeout(60_000);

const HOUR = 3600 * 1000;

describe('Idempotency-Key expiry', () => {
  let env: TestEnvironment;
  let gw: Gateway;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    gw = await Gateway.start(env, { IDEMPOTENCY_KEY_TTL_HOURS: 24 });
  });
  afterAll(() => env?.dispose());

  const storedKeys = (key: string) => env.query('SELECT key FROM intake.idempotency_keys WHERE key = $1', [key]);

  it('replays a key issuance within 24 hours, and after that issues a new key and never shows the first again', async () => {
    const lab = await gw.organisation('lab', 'Expiring Lab');
    const headers = { 'idempotency-key': 'issue-key-expiry-1' };
    const first = await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey, headers });
    expect(first.status).toBe(201);

    env.clock.advance(23 * HOUR);
    const within = await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey, headers });
    expect(within).toMatchObject({ status: 201, body: first.body });

    env.clock.advance(2 * HOUR);
    const after = await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey, headers });
    expect(after.status).toBe(201);
    expect(after.body.id).not.toBe(first.body.id);
    expect(after.body.key).not.toBe(first.body.key);
    expect(after.body.createdAt).toBe(env.clock.now().toISOString());
    // Both keys work: the second call made a key, as a new call does.
    for (const key of [first.body.key, after.body.key]) expect((await gw.call('GET', '/v1/submissions', { key })).status).toBe(200);
    // The key now answers the second issuance.
    expect((await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey, headers })).body.id).toBe(after.body.id);
  });

  it('treats an expired key as new even with another body, instead of refusing it', async () => {
    const headers = { 'idempotency-key': 'enrol-expiry-1' };
    const first = await gw.call('POST', '/v1/orgs', { key: gw.operatorKey, body: { name: 'Before', kind: 'lab' }, headers });
    expect(first.status).toBe(201);
    expect((await gw.call('POST', '/v1/orgs', { key: gw.operatorKey, body: { name: 'Other', kind: 'lab' }, headers })).status).toBe(409);
    env.clock.advance(24 * HOUR);
    const later = await gw.call('POST', '/v1/orgs', { key: gw.operatorKey, body: { name: 'After', kind: 'lab' }, headers });
    expect(later.status).toBe(201);
    expect(later.body).toMatchObject({ name: 'After' });
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('deletes expired keys with their stored answers, and keeps live ones', async () => {
    const lab = await gw.organisation('lab', 'Purged Lab');
    await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey, headers: { 'idempotency-key': 'purge-old' } });
    env.clock.advance(12 * HOUR);
    await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey, headers: { 'idempotency-key': 'purge-young' } });
    expect(await storedKeys('purge-old')).toHaveLength(1);

    // The gateway purges when its clock moves (and every few minutes).
    env.clock.advance(12 * HOUR + 1000);
    await waitFor(async () => (await storedKeys('purge-old')).length === 0, { what: 'the expired key to be deleted' });
    expect(await storedKeys('purge-young')).toHaveLength(1);
  });
});
