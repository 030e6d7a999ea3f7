import { MigrationInterface, QueryRunner } from 'typeorm';

/** Calls in the same instant keep their arrival order in the access log. */
export class AccessLogOrder1764210000000 implements MigrationInterface {
  name = 'AccessLogOrder1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake.access_log ADD COLUMN seq bigserial');
    await q.query('CREATE INDEX access_log_submission_seq ON intake.access_log (submission_id, seq)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake.access_log DROP COLUMN seq');
  }
}
