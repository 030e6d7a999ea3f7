import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox, dropOutboxAndInbox } from '@vantage/persistence';

export class Initial1764190000000 implements MigrationInterface {
  name = 'Initial1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await createOutboxAndInbox(q, 'window');
    await q.query(`
      CREATE TABLE "window".submissions (
        submission_id      uuid PRIMARY KEY,
        lab_id             text NOT NULL,
        planned_release_at timestamptz NOT NULL,
        earliest_access_at timestamptz,
        agencies           jsonb,
        received_at        timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "window".submissions');
    await dropOutboxAndInbox(q, 'window');
  }
}
