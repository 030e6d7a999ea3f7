// The delivery log a subscriber reads: each delivery with every attempt made for it.
import { EntityManager } from 'typeorm';
import { DeliveryAttemptView, DeliveryStatus, DeliveryView } from '@vantage/contracts';

/** The log shows the newest deliveries; older ones stay in the table for replay and operators. */
export const DELIVERY_LOG_LIMIT = 200;

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  replay: boolean;
  created_at: Date;
  next_attempt_at: Date | null;
  completed_at: Date | null;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

export async function listDeliveries(m: EntityManager, subscriptionId: string, status?: DeliveryStatus): Promise<DeliveryView[]> {
  const rows: DeliveryRow[] = await m.query(
    `SELECT id, event_id, event_type, status, replay, created_at, next_attempt_at, completed_at FROM notify.deliveries
     WHERE subscription_id = $1 AND ($2::text IS NULL OR status = $2)
     ORDER BY created_at DESC, id DESC LIMIT ${DELIVERY_LOG_LIMIT}`,
    [subscriptionId, status ?? null],
  );
  const attempts: AttemptRow[] = rows.length
    ? await m.query('SELECT * FROM notify.delivery_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY attempt', [rows.map((r) => r.id)])
    : [];
  const byDelivery = new Map<string, DeliveryAttemptView[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id) ?? [];
    list.push({
      attempt: a.attempt,
      at: new Date(a.at).toISOString(),
      ...(a.status_code !== null ? { statusCode: a.status_code } : {}),
      latencyMs: a.latency_ms,
      ...(a.error ? { error: a.error } : {}),
    });
    byDelivery.set(a.delivery_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    replay: r.replay,
    createdAt: new Date(r.created_at).toISOString(),
    ...(r.status === 'pending' && r.next_attempt_at ? { nextAttemptAt: new Date(r.next_attempt_at).toISOString() } : {}),
    ...(r.completed_at ? { completedAt: new Date(r.completed_at).toISOString() } : {}),
    attempts: byDelivery.get(r.id) ?? [],
  }));
}
