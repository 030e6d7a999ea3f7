// The producer side of the transactional outbox: events are rows written in the state change's transaction.
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@vantage/contracts';

export interface OutboxMessage {
  envelope: EventEnvelope<unknown>;
  /** The NATS subject it is published on. */
  natsSubject: string;
}

/**
 * Appends events to the outbox inside the caller's transaction; they are published only if it commits.
 * With `notifyChannel`, the same statement NOTIFYs it, which Postgres delivers at commit (and never for a
 * rolled-back transaction): the relay wakes at once without an extra round trip.
 */
export async function appendToOutbox(manager: EntityManager, messages: OutboxMessage[], notifyChannel?: string): Promise<void> {
  if (messages.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox must run inside the transaction that changes the state');
  }
  const values: unknown[] = [];
  const rows = messages.map((m, i) => {
    values.push(m.envelope.id, m.natsSubject, JSON.stringify(m.envelope));
    return `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}::jsonb)`;
  });
  const insert = `INSERT INTO outbox (event_id, nats_subject, envelope) VALUES ${rows.join(', ')}`;
  if (!notifyChannel) {
    await manager.query(insert, values);
    return;
  }
  values.push(notifyChannel);
  await manager.query(`WITH appended AS (${insert} RETURNING 1) SELECT pg_notify($${values.length}, '') FROM (SELECT 1 FROM appended LIMIT 1) AS one`, values);
}

/** An unsent row as the relay reads it: the envelope as JSON text, plus the headers it travels with. */
export interface PendingOutboxRow {
  seq: string;
  event_id: string;
  nats_subject: string;
  body: string;
  traceparent: string;
  correlationid: string;
}
