// The migration that splits decisions made before it: their compute line and each suite's classification and line,
// filled in from the lines themselves, so that such a decision is shown by clearance like a new one.
import { Client } from 'pg';
import { QueryRunner } from 'typeorm';
import { TestEnvironment } from '@vantage/testing';
import { BENCHMARK_RUNNER } from '../src';
import { DecisionDetail1764800000000 } from '../src/migrations/1764800000000-decision-detail';

// A test environment starts a NATS server and a database of its own: more than jest's default 5 s on a busy machine.
jest.setTimeout(60_000);

describe('migration DecisionDetail1764800000000', () => {
  let env: TestEnvironment;
  let client: Client;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    await env.migrate(BENCHMARK_RUNNER);
    client = new Client({ connectionString: env.databaseAdminUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await env?.dispose();
  });

  it("fills in a decision made before it: the compute line apart, each suite's classification and its own line", async () => {
    const q = { query: (sql: string, params?: unknown[]) => client.query(sql, params).then((r) => r.rows) } as unknown as QueryRunner;
    const migration = new DecisionDetail1764800000000();
    await migration.down(q);
    const secret = '01a217ba-0000-7000-8000-000000000001';
    const open = '01a217ba-0000-7000-8000-000000000002';
    const gone = '01a217ba-0000-7000-8000-000000000003';
    for (const [id, name, classification] of [[secret, 'secret-suite', 'secret'], [open, 'open_suite%', 'unclassified']]) {
      await client.query(
        `INSERT INTO bench.suites (id, name, version, classification, scorer, epochs, item_count, content_hash, sealed_items, created_at)
         VALUES ($1, $2, '1', $3, 'exact', 1, 1, $4, 'sealed', now())`,
        [id, name, classification, id.slice(-1).repeat(64)],
      );
    }
    const lines = {
      compute: 'compute: declared 3.10e+26 FLOP >= 1.00e+26',
      secret: 'suite secret-suite@1: 95% lower bound 0.9000 >= threshold 0.7',
      open: 'suite open_suite%@1: 95% lower bound 0.8000 >= threshold 0.5',
    };
    const ref = (suiteId: string, name: string) => ({ suiteId, name, version: '1', contentHash: suiteId.slice(-1).repeat(64) });
    await client.query(
      `INSERT INTO bench.classifications (submission_id, frontier, basis, policy_version, suites, decided_at)
       VALUES ('01a217ba-0000-7000-8000-00000000000f', true, $1, 'frontier-2026-11.2', $2, now())`,
      [JSON.stringify([lines.compute, lines.open, lines.secret]), JSON.stringify([ref(open, 'open_suite%'), ref(secret, 'secret-suite'), ref(gone, 'gone')])],
    );

    await migration.up(q);
    const [row] = (await client.query('SELECT basis, compute_basis, compute, suites FROM bench.classifications')).rows;
    expect(row.compute_basis).toEqual([lines.compute]);
    expect(row.compute).toBeNull();
    expect(row.basis).toEqual([lines.compute, lines.open, lines.secret]);
    expect(row.suites).toEqual([
      { ...ref(open, 'open_suite%'), classification: 'unclassified', basis: lines.open },
      { ...ref(secret, 'secret-suite'), classification: 'secret', basis: lines.secret },
      // A suite no longer known is treated as the most restricted.
      { ...ref(gone, 'gone'), classification: 'top-secret' },
    ]);
  });
});
