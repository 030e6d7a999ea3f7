// The producer side of the transactional outbox: events are rows written in the state change's transaction.
import { DataSource, EntityManager, EntitySubscriberInterface } from 'typeorm';
import { EventEnvelope } from '@vantage/contracts';

export interface OutboxMessage {
  envelope: EventEnvelope<unknown>;
  /** The NATS subject it is published on. */
  natsSubject: string;
}

/** Marks, on the transaction's query runner, that the transaction appended to the outbox (see onOutboxCommit). */
const APPENDED = 'vantageOutboxAppended';

/**
 * Appends events to the outbox inside the caller's transaction; they are published only if it commits.
 * With `notifyChannel`, the same statement NOTIFYs it, which Postgres delivers at commit (and never for a
 * rolled-back transaction): relays of other processes wake at once without an extra round trip. Without
 * it, only listeners registered with `onOutboxCommit` in this process learn of the commit.
 */
export async function appendToOutbox(manager: EntityManager, messages: OutboxMessage[], notifyChannel?: string): Promise<void> {
  if (messages.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox must run inside the transaction that changes the state');
  }
  manager.queryRunner.data[APPENDED] = true;
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

/**
 * Calls `listener` after each commit, in this process, of a transaction that appended to the outbox: the
 * in-process counterpart of NOTIFY, which costs Postgres a signal to every listening session per commit.
 * It fires after the outermost COMMIT only (not after a savepoint is released), so the rows are visible
 * to whoever the listener wakes. Registered as a TypeORM transaction subscriber; returns the unregister.
 */
export function onOutboxCommit(dataSource: DataSource, listener: () => void): () => void {
  const subscriber: EntitySubscriberInterface = {
    afterTransactionCommit: ({ queryRunner }) => {
      if (queryRunner.isTransactionActive || !queryRunner.data?.[APPENDED]) return;
      queryRunner.data[APPENDED] = false;
      listener();
    },
    afterTransactionRollback: ({ queryRunner }) => {
      if (!queryRunner.isTransactionActive && queryRunner.data) queryRunner.data[APPENDED] = false;
    },
  };
  dataSource.subscribers.push(subscriber);
  return () => {
    const i = dataSource.subscribers.indexOf(subscriber);
    if (i >= 0) dataSource.subscribers.splice(i, 1);
  };
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
