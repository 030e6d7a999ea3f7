// Requests without a valid key: limited per client address, and a bogus or revoked key repeated is answered from
// memory, without a lookup, while a key issued afterwards (on any replica) works at once.
import { request } from 'node:http';
import { Client } from 'pg';
import { issueApiKey } from '@vantage/crypto';
import { TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway } from './gateway-fixture';

jest.setTimeout(60_000);

/** A GET from a chosen loopback address (127.0.0.0/8 is all this machine's). */
function getFrom(url: string, localAddress: string, key?: string): Promise<{ status: number; retryAfter?: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, headers: key ? { authorization: `Bearer ${key}` } : {}, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

const bogusKey = () => issueApiKey().key;

describe('requests without a valid key, limited per address', () => {
  let env: TestEnvironment;
  let gw: Gateway;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    gw = await Gateway.start(env, { RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: 3 });
  });
  afterAll(() => env?.dispose());

  it('answers 429 with Retry-After to an address that keeps failing, lets other addresses and remembered keys through, and lets it try again once its last minute is clear', async () => {
    const lab = await gw.organisation('lab', 'Neighbour Lab');
    const url = `${gw.url}/v1/submissions`;
    // Verified once, so remembered: it needs no lookup later.
    expect((await getFrom(url, '127.0.0.1', lab.key)).status).toBe(200);

    const statuses = [];
    for (const key of [undefined, bogusKey(), bogusKey()]) statuses.push((await getFrom(url, '127.0.0.1', key)).status);
    expect(statuses).toEqual([401, 401, 401]);
    const over = await getFrom(url, '127.0.0.1', bogusKey());
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    expect((await getFrom(url, '127.0.0.1')).status).toBe(429);
    expect((await getFrom(url, '127.0.0.1', bogusKey())).status).toBe(429);

    // Another address is not held back, nor is a key the gateway remembers.
    expect((await getFrom(url, '127.0.0.2', bogusKey())).status).toBe(401);
    expect((await getFrom(url, '127.0.0.1', lab.key)).status).toBe(200);

    // Blocked for a minute, then counted over a sliding minute: two minutes on, its failures are behind it.
    env.clock.advance(120_000);
    expect((await getFrom(url, '127.0.0.1', bogusKey())).status).toBe(401);
  });
});

describe('keys remembered as not valid', () => {
  let env: TestEnvironment;
  let gw: Gateway;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    gw = await Gateway.start(env);
  });
  afterAll(() => env?.dispose());

  /**
   * Holds intake's key table locked while `attempt` runs: a request that looks a key up waits for the lock, one
   * answered from memory does not. Resolves with the answer if it came while the lock was held, else undefined.
   */
  async function whileKeysLocked<T>(attempt: () => Promise<T>): Promise<T | undefined> {
    const holder = new Client({ connectionString: env.databaseAdminUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE intake.api_keys IN ACCESS EXCLUSIVE MODE');
      let answer: T | undefined;
      const pending = attempt().then((a) => (answer = a));
      const lookupsWaiting = async () =>
        (await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'intake' AND wait_event_type = 'Lock'`)).rows[0].n > 0;
      await waitFor(async () => answer !== undefined || (await lookupsWaiting()), { what: 'an answer, or a lookup waiting on the lock' });
      const during = answer;
      await holder.query('ROLLBACK');
      await pending;
      return during;
    } finally {
      await holder.end();
    }
  }

  it('answers a repeated bogus key from memory, without a lookup', async () => {
    const bogus = bogusKey();
    expect((await gw.call('GET', '/v1/submissions', { key: bogus })).status).toBe(401);
    const again = await whileKeysLocked(() => gw.call('GET', '/v1/submissions', { key: bogus }));
    expect(again?.status).toBe(401);
  });

  it('answers a revoked key repeated from memory, without a lookup', async () => {
    const lab = await gw.organisation('lab', 'Revoked Lab');
    expect((await gw.call('DELETE', `/v1/orgs/${lab.id}/keys/${lab.keyId}`, { key: gw.operatorKey })).status).toBe(204);
    // The revoking replica forgot the key before it answered; the echo of its own change notification comes later and
    // makes it forget again, and a lookup under way when it comes is not remembered (the cache's rule). So the first
    // refusal may not stick: ask until one does, then the repeat is answered while the keys table is locked.
    let again: { status: number } | undefined;
    await waitFor(async () => {
      expect((await gw.call('GET', '/v1/submissions', { key: lab.key })).status).toBe(401);
      again = await whileKeysLocked(() => gw.call('GET', '/v1/submissions', { key: lab.key }));
      return again !== undefined;
    }, { what: 'a refusal of the revoked key remembered', timeoutMs: 15_000 });
    expect(again?.status).toBe(401);
  });

  it('lets a key issued on another replica work at once, after a flood of bogus keys', async () => {
    const other = await gw.replica();
    try {
      const lab = await gw.organisation('lab', 'Late Lab');
      for (let i = 0; i < 20; i++) expect((await gw.call('GET', '/v1/submissions', { key: bogusKey() })).status).toBe(401);
      const issued = await other.call('POST', `/v1/orgs/${lab.id}/keys`, { key: other.operatorKey });
      expect(issued.status).toBe(201);
      expect((await gw.call('GET', '/v1/submissions', { key: issued.body.key })).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('forgets a refused value when another replica makes it the bootstrap key', async () => {
    const value = issueApiKey('operator').key;
    expect((await gw.call('GET', '/v1/submissions', { key: value })).status).toBe(401);
    const other = await gw.replica({ VANTAGE_BOOTSTRAP_OPERATOR_KEY: value });
    try {
      await waitFor(async () => (await gw.call('GET', '/v1/submissions', { key: value })).status === 200, { timeoutMs: 1000, what: 'the new bootstrap key to work' });
    } finally {
      await other.close();
    }
  });
});
