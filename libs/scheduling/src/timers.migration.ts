// The durable timers table a service owns (window-scheduler's windows, the clearinghouse's embargo deadlines).
import { QueryRunner } from 'typeorm';

export async function createTimersTable(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`
    CREATE TABLE "${schema}".timers (
      id           bigserial PRIMARY KEY,
      entity_id    text        NOT NULL,
      kind         text        NOT NULL,
      due_at       timestamptz NOT NULL,
      payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
      created_at   timestamptz NOT NULL DEFAULT now(),
      fired_at     timestamptz,
      cancelled_at timestamptz
    )`);
  await q.query(`CREATE INDEX timers_due ON "${schema}".timers (due_at, id) WHERE fired_at IS NULL AND cancelled_at IS NULL`);
  await q.query(`CREATE INDEX timers_entity ON "${schema}".timers (entity_id, due_at, id) WHERE fired_at IS NULL AND cancelled_at IS NULL`);
}
