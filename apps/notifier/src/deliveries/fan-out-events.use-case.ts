// Turns events into deliveries inside the consumer's transaction (with its inbox record), so each event
// makes its deliveries exactly once, and keeps every event for replay.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { Audience, EventEnvelope } from '@vantage/contracts';
import { EVENTS_CHANNEL } from '../events/event-wake-ups';
import { OrganisationRow } from '../subscriptions/organisation-directory';
import { insertDeliveries, NewDelivery, subscriberWants, webhookBody } from './delivery-rows';

interface ActiveSubscription extends OrganisationRow {
  subscription_id: string;
  types: string[];
}

@Injectable()
export class FanOutEventsUseCase {
  constructor(private readonly clock: Clock) {}

  async execute(tx: EntityManager, events: EventEnvelope<unknown>[]): Promise<number> {
    if (!events.length) return 0;
    const bodies = events.map(webhookBody);
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
    // Delivered only on commit: wakes waiting live-stream reads and the delivery workers on every replica.
    await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, '']);
    const subscriptions: ActiveSubscription[] = await tx.query(
      `SELECT s.id AS subscription_id, s.types, o.id, o.kind, o.clearance
       FROM notify.subscriptions s JOIN notify.organisations o ON o.id = s.org_id
       WHERE s.state = 'active'`,
    );
    const rows: NewDelivery[] = [];
    for (const event of events) {
      const audience = Audience.parse(event.audience);
      for (const s of subscriptions) {
        if (subscriberWants(s.types, s, event.type, audience)) {
          rows.push({ subscriptionId: s.subscription_id, eventId: event.id, eventType: event.type, entity: event.subject ?? '' });
        }
      }
    }
    return insertDeliveries(tx, rows, this.clock.now(), false);
  }
}
