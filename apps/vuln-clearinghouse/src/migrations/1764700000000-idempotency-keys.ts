import { MigrationInterface, QueryRunner } from 'typeorm';

/** Findings' Idempotency-Keys serve every creating call now (vendors, splits), in the table every service shares. */
export class IdempotencyKeys1764700000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE vuln.finding_requests RENAME TO idempotency_keys');
    await q.query('ALTER INDEX vuln.finding_requests_pkey RENAME TO idempotency_keys_pkey');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER INDEX vuln.idempotency_keys_pkey RENAME TO finding_requests_pkey');
    await q.query('ALTER TABLE vuln.idempotency_keys RENAME TO finding_requests');
  }
}
