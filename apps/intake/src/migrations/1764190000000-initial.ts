import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox, dropOutboxAndInbox } from '@vantage/persistence';

export class Initial1764190000000 implements MigrationInterface {
  name = 'Initial1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await createOutboxAndInbox(q, 'intake');
    await q.query(`
      CREATE TABLE intake.organisations (
        id         uuid PRIMARY KEY,
        name       text NOT NULL,
        kind       text NOT NULL CHECK (kind IN ('lab', 'agency', 'clearinghouse', 'operator')),
        clearance  text CHECK (clearance IN ('unclassified', 'cui', 'secret', 'top-secret')),
        created_at timestamptz NOT NULL,
        CHECK ((kind = 'agency') = (clearance IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE intake.api_keys (
        id         text PRIMARY KEY,
        org_id     uuid NOT NULL REFERENCES intake.organisations (id),
        key_hash   text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query('CREATE INDEX api_keys_org ON intake.api_keys (org_id)');
    await q.query(`
      CREATE TABLE intake.submissions (
        id                     uuid PRIMARY KEY,
        lab_id                 uuid NOT NULL REFERENCES intake.organisations (id),
        model_name             text NOT NULL,
        model_version          text NOT NULL,
        planned_release_at     timestamptz NOT NULL,
        earliest_access_at     timestamptz,
        declared_training_flop double precision,
        agencies               jsonb,
        endpoint_base_url      text NOT NULL,
        endpoint_model_id      text NOT NULL,
        endpoint_api_key       text NOT NULL,
        status                 text NOT NULL CHECK (status IN ('active', 'withdrawn', 'released')),
        released_at            timestamptz,
        withdrawn_at           timestamptz,
        created_at             timestamptz NOT NULL,
        updated_at             timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX submissions_lab ON intake.submissions (lab_id, id)');
    // Idempotency-Key records: the first answer to a (caller, key), replayed for the same body.
    await q.query(`
      CREATE TABLE intake.idempotency_keys (
        org_id          uuid NOT NULL,
        key             text NOT NULL,
        request_hash    text NOT NULL,
        response_status int  NOT NULL,
        response_body   jsonb NOT NULL,
        created_at      timestamptz NOT NULL,
        PRIMARY KEY (org_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'submissions', 'api_keys', 'organisations']) await q.query(`DROP TABLE intake.${t}`);
    await dropOutboxAndInbox(q, 'intake');
  }
}
