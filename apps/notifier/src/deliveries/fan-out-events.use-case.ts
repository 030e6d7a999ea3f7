// Turns events into deliveries inside the consumer's transaction (with its inbox record), so each event makes its
// deliveries exactly once, and keeps every event for replay and the live stream.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { Audience, EventEnvelope } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { subscriberWants, webhookBody } from '../audience/audience';
import { OrganisationStore } from '../audience/organisation-store';
import { EventStore } from '../events/event-store';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { DeliveryStore, NewDelivery } from './delivery-store';

export interface FanOutEventsCommand {
  events: EventEnvelope<unknown>[];
}

@Injectable()
export class FanOutEventsUseCase implements UseCase<FanOutEventsCommand, number> {
  constructor(
    private readonly clock: Clock,
    private readonly organisations: OrganisationStore,
    private readonly events: EventStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly deliveries: DeliveryStore,
  ) {}

  /** Returns how many deliveries were made. */
  async execute({ events }: FanOutEventsCommand, tx: EntityManager): Promise<number> {
    if (!events.length) return 0;
    // An organisation is recorded before the events are fanned out, in the same transaction: its own
    // organisation.created reaches a subscription it makes at once.
    await this.organisations.recordCreated(tx, events);
    await this.events.record(tx, events, events.map(webhookBody));
    const subscriptions = await this.subscriptions.active(tx);
    const rows: NewDelivery[] = [];
    for (const event of events) {
      const audience = Audience.parse(event.audience);
      for (const s of subscriptions) {
        if (subscriberWants(s.types, s, event.type, audience)) {
          rows.push({ subscriptionId: s.subscription_id, eventId: event.id, eventType: event.type, entity: event.subject ?? '' });
        }
      }
    }
    return this.deliveries.insert(tx, rows, this.clock.now(), false);
  }
}
