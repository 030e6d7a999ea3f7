import { MigrationInterface, QueryRunner } from 'typeorm';

export class Benchmarks1764400000000 implements MigrationInterface {
  name = 'Benchmarks1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // The items live only in `sealed_items` (AES-256-GCM, the suite id as associated data).
    await q.query(`
      CREATE TABLE bench.suites (
        id             uuid PRIMARY KEY,
        name           text NOT NULL,
        version        text NOT NULL,
        classification text NOT NULL CHECK (classification IN ('unclassified', 'cui', 'secret', 'top-secret')),
        scorer         text NOT NULL CHECK (scorer IN ('exact', 'includes', 'regex', 'numeric', 'choice')),
        threshold      double precision CHECK (threshold BETWEEN 0 AND 1),
        epochs         int NOT NULL CHECK (epochs BETWEEN 1 AND 10),
        item_count     int NOT NULL,
        content_hash   text NOT NULL,
        sealed_items   text NOT NULL,
        active         boolean NOT NULL DEFAULT true,
        created_at     timestamptz NOT NULL,
        UNIQUE (name, version)
      )`);
    await q.query(`
      CREATE TABLE bench.submissions (
        submission_id          uuid PRIMARY KEY,
        lab_id                 text NOT NULL,
        declared_training_flop double precision,
        received_at            timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE bench.grants (
        submission_id uuid NOT NULL,
        agency_id     text NOT NULL,
        PRIMARY KEY (submission_id, agency_id)
      )`);
    await q.query(`
      CREATE TABLE bench.runs (
        id            uuid PRIMARY KEY,
        submission_id uuid NOT NULL,
        suite_id      uuid NOT NULL REFERENCES bench.suites (id),
        state         text NOT NULL CHECK (state IN ('running', 'completed', 'aborted')),
        total         int NOT NULL,
        correct       int NOT NULL DEFAULT 0,
        wrong         int NOT NULL DEFAULT 0,
        errored       int NOT NULL DEFAULT 0,
        started_at    timestamptz NOT NULL,
        finished_at   timestamptz,
        abort_reason  text,
        lease_owner   text,
        lease_until   timestamptz,
        progress_at   timestamptz,
        UNIQUE (submission_id, suite_id)
      )`);
    await q.query('CREATE INDEX runs_running ON bench.runs (state) WHERE state = \'running\'');
    // One row per answered trial: the checkpoint a restarted runner resumes from. Outcomes only, never the
    // model's answer (it may be the target itself).
    await q.query(`
      CREATE TABLE bench.run_items (
        run_id     uuid NOT NULL REFERENCES bench.runs (id),
        item_index int NOT NULL,
        epoch      int NOT NULL,
        outcome    text NOT NULL CHECK (outcome IN ('correct', 'wrong', 'errored')),
        attempts   int NOT NULL,
        PRIMARY KEY (run_id, item_index, epoch)
      )`);
    await q.query(`
      CREATE TABLE bench.classifications (
        submission_id  uuid PRIMARY KEY,
        frontier       boolean NOT NULL,
        basis          jsonb NOT NULL,
        policy_version text NOT NULL,
        suites         jsonb NOT NULL,
        decided_at     timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['classifications', 'run_items', 'runs', 'grants', 'submissions', 'suites']) await q.query(`DROP TABLE bench.${t}`);
  }
}
