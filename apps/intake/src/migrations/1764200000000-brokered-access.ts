import { MigrationInterface, QueryRunner } from 'typeorm';

export class BrokeredAccess1764200000000 implements MigrationInterface {
  name = 'BrokeredAccess1764200000000';

  async up(q: QueryRunner): Promise<void> {
    // The gateway's own copy of windows and grants, from the scheduler's events: checked on every call.
    await q.query(`
      CREATE TABLE intake.access_windows (
        submission_id uuid PRIMARY KEY,
        state         text NOT NULL CHECK (state IN ('scheduled', 'open', 'closed', 'cancelled')),
        agencies      jsonb,
        closes_at     timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE intake.access_grants (
        submission_id uuid NOT NULL,
        agency_id     uuid NOT NULL,
        state         text NOT NULL CHECK (state IN ('active', 'revoked')),
        updated_at    timestamptz NOT NULL,
        PRIMARY KEY (submission_id, agency_id)
      )`);
    await q.query(`
      CREATE TABLE intake.access_log (
        id                uuid PRIMARY KEY,
        submission_id     uuid NOT NULL,
        agency_id         uuid NOT NULL,
        at                timestamptz NOT NULL,
        status            int NOT NULL,
        latency_ms        int NOT NULL,
        stream            boolean NOT NULL,
        prompt_tokens     int,
        completion_tokens int
      )`);
    await q.query('CREATE INDEX access_log_submission ON intake.access_log (submission_id, at)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['access_log', 'access_grants', 'access_windows']) await q.query(`DROP TABLE intake.${t}`);
  }
}
