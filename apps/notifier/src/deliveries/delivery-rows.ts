// Deliveries are created in the transaction that saw the event (fan-out) or asked for it again (replay).
import { v7 as uuidv7 } from 'uuid';
import { EntityManager } from 'typeorm';
import { Audience, EventEnvelope } from '@vantage/contracts';
import { matchesAny } from '../subscriptions/type-patterns';
import { audienceMember, OrganisationRow } from '../subscriptions/organisation-directory';

export interface NewDelivery {
  subscriptionId: string;
  eventId: string;
  eventType: string;
  /** The event's subject: deliveries about one entity go to an endpoint in order. */
  entity: string;
}

/** Whether a subscription gets an event: it asked for the type, and its owner is in the event's audience. */
export function subscriberWants(types: string[], owner: OrganisationRow, eventType: string, audience: string | Audience): boolean {
  if (!matchesAny(types, eventType)) return false;
  return (typeof audience === 'string' ? Audience.parse(audience) : audience).includes(audienceMember(owner));
}

/**
 * The webhook body: the CloudEvent as published, without the `audience` extension, which routes the event
 * inside Vantage and would tell a subscriber which other organisations see it.
 */
export function webhookBody(event: EventEnvelope<unknown>): string {
  const { audience: _routing, ...cloudEvent } = event;
  return JSON.stringify(cloudEvent);
}

/**
 * Inserts pending deliveries due at `now`; fan-out's are made once per (subscription, event). Returns how many.
 * The body is not copied into each delivery: it is the event's, kept once in notify.events.
 */
export async function insertDeliveries(tx: EntityManager, rows: NewDelivery[], now: Date, replay: boolean): Promise<number> {
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
