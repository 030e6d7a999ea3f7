import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTimersTable } from '@vantage/scheduling';

export class Windows1764200000000 implements MigrationInterface {
  name = 'Windows1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "window".windows (
        submission_id      uuid PRIMARY KEY,
        lab_id             text NOT NULL,
        state              text NOT NULL CHECK (state IN ('scheduled', 'open', 'closed', 'cancelled')),
        opens_at           timestamptz NOT NULL,
        closes_at          timestamptz NOT NULL,
        planned_release_at timestamptz NOT NULL,
        earliest_access_at timestamptz,
        agencies           jsonb,
        closed_at          timestamptz,
        closed_reason      text CHECK (closed_reason IN ('scheduled-end', 'released', 'withdrawn')),
        updated_at         timestamptz NOT NULL,
        CHECK (closes_at - opens_at <= interval '30 days')
      )`);
    await q.query('CREATE INDEX windows_lab ON "window".windows (lab_id)');
    await q.query(`
      CREATE TABLE "window".grants (
        id             uuid PRIMARY KEY,
        submission_id  uuid NOT NULL REFERENCES "window".windows (submission_id),
        agency_id      text NOT NULL,
        state          text NOT NULL CHECK (state IN ('active', 'revoked')),
        issued_at      timestamptz NOT NULL,
        revoked_at     timestamptz,
        revoked_reason text,
        UNIQUE (submission_id, agency_id)
      )`);
    await q.query('CREATE INDEX grants_agency ON "window".grants (agency_id, state)');
    await q.query(`
      CREATE TABLE "window".agencies (
        org_id     text PRIMARY KEY,
        name       text NOT NULL,
        clearance  text,
        joined_at  timestamptz NOT NULL
      )`);
    await createTimersTable(q, 'window');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['timers', 'grants', 'windows', 'agencies']) await q.query(`DROP TABLE "window".${t}`);
  }
}
