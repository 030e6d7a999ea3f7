// Turns events into deliveries inside the consumer's transaction (with its inbox record), so each event
// makes its deliveries exactly once, and keeps every event for replay.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { EventEnvelope } from '@vantage/contracts';
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
    await tx.query(
      `INSERT INTO notify.events (id, type, time, audience, body)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])
       ON CONFLICT (id) DO NOTHING`,
      [events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.time), events.map((e) => e.audience), bodies],
    );
    const subscriptions: ActiveSubscription[] = await tx.query(
      `SELECT s.id AS subscription_id, s.types, o.id, o.kind, o.clearance
       FROM notify.subscriptions s JOIN notify.organisations o ON o.id = s.org_id
       WHERE s.state = 'active'`,
    );
    const rows: NewDelivery[] = [];
    events.forEach((event, i) => {
      for (const s of subscriptions) {
        if (subscriberWants(s.types, s, event.type, event.audience)) {
          rows.push({ subscriptionId: s.subscription_id, eventId: event.id, eventType: event.type, body: bodies[i] });
        }
      }
    });
    return insertDeliveries(tx, rows, this.clock.now(), false);
  }
}
