import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox, dropOutboxAndInbox } from '@vantage/persistence';

export class Initial1764190000000 implements MigrationInterface {
  name = 'Initial1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await createOutboxAndInbox(q, 'intake');
    await q.query(`
      CREATE TABLE intake.submissions (
        id                     uuid PRIMARY KEY,
        lab_id                 text NOT NULL,
        model_name             text NOT NULL,
        model_version          text NOT NULL,
        planned_release_at     timestamptz NOT NULL,
        earliest_access_at     timestamptz,
        declared_training_flop double precision,
        agencies               jsonb,
        status                 text NOT NULL CHECK (status IN ('active', 'withdrawn', 'released')),
        created_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX submissions_lab ON intake.submissions (lab_id, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE intake.submissions');
    await dropOutboxAndInbox(q, 'intake');
  }
}
