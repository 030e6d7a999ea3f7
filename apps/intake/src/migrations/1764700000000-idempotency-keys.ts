import { MigrationInterface, QueryRunner } from 'typeorm';

/** The gateway's Idempotency-Key table in the shape every service now shares (libs/persistence idempotency.ts). */
export class IdempotencyKeys1764700000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake.idempotency_keys ALTER COLUMN org_id TYPE text');
    await q.query('ALTER TABLE intake.idempotency_keys DROP COLUMN response_status');
    await q.query('ALTER TABLE intake.idempotency_keys RENAME COLUMN response_body TO response');
    await q.query('ALTER TABLE intake.idempotency_keys ALTER COLUMN response DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("UPDATE intake.idempotency_keys SET response = 'null'::jsonb WHERE response IS NULL");
    await q.query('ALTER TABLE intake.idempotency_keys ALTER COLUMN response SET NOT NULL');
    await q.query('ALTER TABLE intake.idempotency_keys RENAME COLUMN response TO response_body');
    await q.query('ALTER TABLE intake.idempotency_keys ADD COLUMN response_status int NOT NULL DEFAULT 201');
    await q.query('ALTER TABLE intake.idempotency_keys ALTER COLUMN org_id TYPE uuid USING org_id::uuid');
  }
}
