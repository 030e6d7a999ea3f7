// The deliveries a subscriber is owed and their log. Deliveries are created in the transaction that saw the event
// (fan-out) or asked for it again (replay); the worker's lane leases and attempts are in lane-store.ts and
// record-attempts.use-case.ts.
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { EntityManager } from 'typeorm';
import { DeliveryStatus } from '@vantage/contracts';

export interface NewDelivery {
  subscriptionId: string;
  eventId: string;
  eventType: string;
  /** The event's subject: deliveries about one entity go to an endpoint in order. */
  entity: string;
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  replay: boolean;
  created_at: Date;
  next_attempt_at: Date | null;
  completed_at: Date | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

@Injectable()
export class DeliveryStore {
  /**
   * Inserts pending deliveries due at `now`; fan-out's are made once per (subscription, event). Returns how many.
   * The body is not copied into each delivery: it is the event's, kept once in notify.events.
   */
  async insert(tx: EntityManager, rows: NewDelivery[], now: Date, replay: boolean): Promise<number> {
    if (!rows.length) return 0;
    const result: { id: string }[] = await tx.query(
      `INSERT INTO notify.deliveries (id, subscription_id, event_id, event_type, entity, replay, status, next_attempt_at, created_at)
       SELECT id, subscription_id, event_id, event_type, entity, $6, 'pending', $7, $7
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[]) WITH ORDINALITY AS r(id, subscription_id, event_id, event_type, entity, n)
       ORDER BY n
       ON CONFLICT (subscription_id, event_id) WHERE NOT replay DO NOTHING
       RETURNING id`,
      [
        rows.map(() => uuidv7({ msecs: now.getTime() })),
        rows.map((r) => r.subscriptionId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.eventType),
        rows.map((r) => r.entity),
        replay,
        now,
      ],
    );
    return result.length;
  }

  /** The newest `limit` deliveries of a subscription (optionally of one status), and every attempt made for them. */
  async log(m: EntityManager, subscriptionId: string, status: DeliveryStatus | undefined, limit: number): Promise<{ rows: DeliveryRow[]; attempts: AttemptRow[] }> {
    const rows: DeliveryRow[] = await m.query(
      `SELECT id, event_id, event_type, status, replay, created_at, next_attempt_at, completed_at FROM notify.deliveries
       WHERE subscription_id = $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [subscriptionId, status ?? null, limit],
    );
    const attempts: AttemptRow[] = rows.length
      ? await m.query('SELECT * FROM notify.delivery_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY attempt', [rows.map((r) => r.id)])
      : [];
    return { rows, attempts };
  }
}
