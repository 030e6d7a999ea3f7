// The outbox and inbox tables every service owns. Each service's first migration calls these.
import { QueryRunner } from 'typeorm';

export async function createOutboxAndInbox(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}".outbox (
      seq          bigserial PRIMARY KEY,
      event_id     uuid        NOT NULL UNIQUE,
      nats_subject text        NOT NULL,
      envelope     jsonb       NOT NULL,
      created_at   timestamptz NOT NULL DEFAULT now(),
      sent_at      timestamptz
    )`);
  // The relay reads only what is unsent, in order.
  await queryRunner.query(`CREATE INDEX outbox_unsent ON "${schema}".outbox (seq) WHERE sent_at IS NULL`);
  await queryRunner.query(`
    CREATE TABLE "${schema}".inbox (
      consumer   text        NOT NULL,
      event_id   uuid        NOT NULL,
      handled_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
}

export async function dropOutboxAndInbox(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE IF EXISTS "${schema}".inbox`);
  await queryRunner.query(`DROP TABLE IF EXISTS "${schema}".outbox`);
}
