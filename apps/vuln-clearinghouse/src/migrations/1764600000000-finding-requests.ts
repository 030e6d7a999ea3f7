import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers to findings reported with an Idempotency-Key (forwarded by the gateway), kept with the finding's own
 * transaction: a client that retries after a timeout or a lost connection gets the first answer again.
 */
export class FindingRequests1764600000000 implements MigrationInterface {
  name = 'FindingRequests1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vuln.finding_requests (
        org_id        text        NOT NULL,
        key           text        NOT NULL,
        request_hash  text        NOT NULL,
        response      jsonb,
        created_at    timestamptz NOT NULL,
        PRIMARY KEY (org_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE vuln.finding_requests');
  }
}
