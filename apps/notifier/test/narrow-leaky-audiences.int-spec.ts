// The migration that narrows, to operators, the audiences of kept events stamped before the benchmark runner
// stamped them by clearance and grant, so that a replay or a resumed live stream cannot send them again.
import { Client } from 'pg';
import { QueryRunner } from 'typeorm';
import { TestEnvironment } from '@vantage/testing';
import { NOTIFIER } from '../src';
import { NarrowLeakyAudiences1764800000000 } from '../src/migrations/1764800000000-narrow-leaky-audiences';

// A test environment starts a NATS server and a database of its own: more than jest's default 5 s on a busy machine.
jest.setTimeout(60_000);

describe('migration NarrowLeakyAudiences1764800000000', () => {
  let env: TestEnvironment;
  let client: Client;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    await env.migrate(NOTIFIER);
    client = new Client({ connectionString: env.databaseAdminUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await env?.dispose();
  });

  it('narrows v1 decisions and run events to every cleared agency to operators, and leaves every other audience as it was', async () => {
    const rows: [string, string, string][] = [
      ['01a217ba-0000-7000-8000-000000000001', 'gov.vantage.bench.model.classified.v1', 'org:lab1 org:ag1 role:operator'],
      ['01a217ba-0000-7000-8000-000000000002', 'gov.vantage.bench.run.completed.v1', 'role:operator clearance:secret'],
      ['01a217ba-0000-7000-8000-000000000003', 'gov.vantage.bench.run.started.v1', 'org:ag1+clearance:secret role:operator'],
      ['01a217ba-0000-7000-8000-000000000004', 'gov.vantage.bench.model.classified.v2', 'org:lab1 org:ag1 role:operator'],
      ['01a217ba-0000-7000-8000-000000000005', 'gov.vantage.window.window.opened.v1', 'org:lab1 role:operator clearance:secret'],
    ];
    for (const [id, type, audience] of rows) {
      await client.query(`INSERT INTO notify.events (id, type, time, audience, body) VALUES ($1, $2, now(), $3, '{}')`, [id, type, audience]);
    }
    const q = { query: (sql: string, params?: unknown[]) => client.query(sql, params).then((r) => r.rows) } as unknown as QueryRunner;
    await new NarrowLeakyAudiences1764800000000().up(q);
    const after = (await client.query('SELECT type, audience FROM notify.events ORDER BY id')).rows.map((r) => [r.type, r.audience]);
    expect(after).toEqual([
      ['gov.vantage.bench.model.classified.v1', 'role:operator'],
      ['gov.vantage.bench.run.completed.v1', 'role:operator'],
      ['gov.vantage.bench.run.started.v1', 'org:ag1+clearance:secret role:operator'],
      ['gov.vantage.bench.model.classified.v2', 'org:lab1 org:ag1 role:operator'],
      ['gov.vantage.window.window.opened.v1', 'org:lab1 role:operator clearance:secret'],
    ]);
  });
});
