// Every event the notifier has seen, kept once (notify.events): the live stream reads it in sequence, replay by time,
// and a delivery's body is its event's.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@vantage/contracts';
import { EVENTS_CHANNEL } from './event-wake-ups';

export interface StoredEvent {
  seq: string;
  type: string;
  audience: string;
  body: string;
}

/** An event as replay looks at it: never its body. `at` is Postgres's own microsecond UTC time. */
export interface ReplayableEvent {
  id: string;
  type: string;
  audience: string;
  at: string;
  subject: string | null;
}

@Injectable()
export class EventStore {
  /**
   * Keeps the events (`bodies[i]` is event i as subscribers see it), once each, and wakes live-stream reads and
   * delivery workers on every replica when the transaction commits.
   */
  async record(tx: EntityManager, events: EventEnvelope<unknown>[], bodies: string[]): Promise<void> {
    // The live stream resumes after a sequence number, so sequences must become visible in their order: fan-out
    // transactions (one consumer per domain, several replicas) take their numbers one at a time, holding this
    // lock until they commit. Otherwise a reader could see 8 committed, move past it, and miss 7 committing later.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('notify.events.seq'))`);
    await tx.query(
      `INSERT INTO notify.events (id, type, time, audience, body)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])
       ON CONFLICT (id) DO NOTHING`,
      [events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.time), events.map((e) => e.audience), bodies],
    );
    // Delivered only on commit.
    await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, '']);
  }

  /** The newest sequence number (0 with none). */
  async head(m: EntityManager): Promise<string> {
    const [{ seq }] = await m.query('SELECT COALESCE(max(seq), 0)::text AS seq FROM notify.events');
    return seq;
  }

  /** Up to `limit` events after sequence `after`, in sequence order. */
  async after(m: EntityManager, after: string, limit: number): Promise<StoredEvent[]> {
    return m.query(
      // Ordered by the column, qualified: a bare `seq` would name the text alias, and order 10 before 9.
      'SELECT e.seq::text AS seq, e.type, e.audience, e.body FROM notify.events e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2',
      [after, limit],
    );
  }

  /** Up to `limit` events at or after `since`, in (time, id) order, after the position `from` when given. */
  async since(m: EntityManager, since: Date, from: { time: string; id: string } | undefined, limit: number): Promise<ReplayableEvent[]> {
    return m.query(
      `SELECT id, type, audience, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, body::jsonb->>'subject' AS subject
       FROM notify.events
       WHERE time >= $1 AND ($2::timestamptz IS NULL OR (time, id) > ($2::timestamptz, $3::uuid))
       ORDER BY time, id LIMIT $4`,
      [since, from?.time ?? null, from?.id ?? null, limit],
    );
  }
}
