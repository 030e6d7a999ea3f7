// The migration that drops what only replicas from before delivery lanes used (a delivery's own claim and its own
// copy of the body): refused while a pending delivery has no event to take its body from, and undone by its down.
import { Client } from 'pg';
import { QueryRunner } from 'typeorm';
import { TestEnvironment } from '@vantage/testing';
import { NOTIFIER } from '../src';
import { DropPreLaneColumns1764900000000 } from '../src/migrations/1764900000000-drop-pre-lane-columns';

// A test environment starts a NATS server and a database of its own: more than jest's default 5 s on a busy machine.
jest.setTimeout(60_000);

describe('migration DropPreLaneColumns1764900000000', () => {
  let env: TestEnvironment;
  let client: Client;
  let q: QueryRunner;
  const columns = async () =>
    (await client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'notify' AND table_name = 'deliveries' ORDER BY column_name`)).rows.map(
      (r) => r.column_name,
    );

  beforeAll(async () => {
    env = await TestEnvironment.create();
    await env.migrate(NOTIFIER);
    client = new Client({ connectionString: env.databaseAdminUrl });
    await client.connect();
    q = { query: (sql: string, params?: unknown[]) => client.query(sql, params).then((r) => r.rows) } as unknown as QueryRunner;
  });
  afterAll(async () => {
    await client?.end();
    await env?.dispose();
  });

  it('has run with the others: no delivery carries its own claim or body', async () => {
    expect(await columns()).not.toEqual(expect.arrayContaining(['claimed_until']));
    expect(await columns()).not.toContain('body');
  });

  it('puts the columns back on the way down, and refuses to drop them while a pending delivery has no event to read its body from', async () => {
    const migration = new DropPreLaneColumns1764900000000();
    await migration.down(q);
    expect(await columns()).toEqual(expect.arrayContaining(['body', 'claimed_until']));
    await client.query(`INSERT INTO notify.organisations (id, kind, clearance, joined_at) VALUES ('01a217ba-0000-7000-8000-0000000000b1', 'agency', NULL, now())`);
    await client.query(`INSERT INTO notify.subscriptions (id, org_id, url, types, state, secret_sealed, created_at)
      VALUES ('01a217ba-0000-7000-8000-0000000000a1', '01a217ba-0000-7000-8000-0000000000b1', 'https://h.example/', '["*"]', 'active', 's', now())`);
    await client.query(`INSERT INTO notify.deliveries (id, subscription_id, event_id, event_type, entity, replay, status, next_attempt_at, created_at, body)
      VALUES ('01a217ba-0000-7000-8000-0000000000c1', '01a217ba-0000-7000-8000-0000000000a1', '01a217ba-0000-7000-8000-0000000000d1', 't', '', false, 'pending', now(), now(), '{}')`);
    await expect(migration.up(q)).rejects.toThrow(/1 pending deliveries have no event/);
    expect(await columns()).toContain('body');

    await client.query(`INSERT INTO notify.events (id, type, time, audience, body) VALUES ('01a217ba-0000-7000-8000-0000000000d1', 't', now(), 'role:operator', '{}')`);
    await migration.up(q);
    expect(await columns()).not.toContain('body');
    expect((await client.query('SELECT count(*)::int AS n FROM notify.deliveries')).rows[0].n).toBe(1);
  });
});
