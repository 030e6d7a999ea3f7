import { MigrationInterface, QueryRunner } from 'typeorm';

// Suites uploaded in sealed chunks (so no message or row has to hold a whole large suite), uploads that become
// a suite only when sealed, the canary check's result and the interval a completed run was scored with.
export class SuiteUploadsCanariesEpochs1764600000000 implements MigrationInterface {
  name = 'SuiteUploadsCanariesEpochs1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bench.suite_uploads (
        id             uuid PRIMARY KEY,
        name           text NOT NULL,
        version        text NOT NULL,
        classification text NOT NULL,
        scorer         text NOT NULL,
        threshold      double precision,
        epochs         int NOT NULL,
        sealed_canary  text,
        item_count     int NOT NULL DEFAULT 0,
        next_seq       int NOT NULL DEFAULT 0,
        created_at     timestamptz NOT NULL,
        expires_at     timestamptz NOT NULL
      )`);
    // Keyed by the upload's id, which becomes the suite's id when it is sealed.
    await q.query(`
      CREATE TABLE bench.suite_chunks (
        suite_id    uuid NOT NULL,
        seq         int NOT NULL,
        first_index int NOT NULL,
        item_count  int NOT NULL,
        sealed      text NOT NULL,
        PRIMARY KEY (suite_id, seq)
      )`);
    await q.query('ALTER TABLE bench.suites ALTER COLUMN sealed_items DROP NOT NULL');
    await q.query('ALTER TABLE bench.suites ADD COLUMN sealed_canary text');
    await q.query(`
      ALTER TABLE bench.runs
        ADD COLUMN accuracy double precision,
        ADD COLUMN lower_bound double precision,
        ADD COLUMN upper_bound double precision,
        ADD COLUMN interval_method text CHECK (interval_method IN ('wilson', 'bootstrap')),
        ADD COLUMN canary_known boolean,
        ADD COLUMN canary_matched double precision,
        ADD COLUMN canary_errored boolean`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE bench.runs DROP COLUMN accuracy, DROP COLUMN lower_bound, DROP COLUMN upper_bound, DROP COLUMN interval_method,
        DROP COLUMN canary_known, DROP COLUMN canary_matched, DROP COLUMN canary_errored`);
    await q.query('ALTER TABLE bench.suites DROP COLUMN sealed_canary');
    await q.query('DROP TABLE bench.suite_chunks');
    await q.query('DROP TABLE bench.suite_uploads');
  }
}
