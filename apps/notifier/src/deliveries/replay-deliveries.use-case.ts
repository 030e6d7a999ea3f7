import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, ReplayedDeliveries, RuleViolationError } from '@vantage/contracts';
import { SERVICE_CONFIG, UseCase } from '@vantage/runtime';
import { subscriberWants } from '../audience/audience';
import { OrganisationStore } from '../audience/organisation-store';
import { NotifierConfig } from '../config';
import { EventStore } from '../events/event-store';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { DeliveryStore, NewDelivery } from './delivery-store';
import { decodeReplayCursor, encodeReplayCursor } from './replay-cursor';

export interface ReplayDeliveriesCommand {
  caller: CallerIdentity;
  subscriptionId: string;
  since: Date;
  /** The `nextCursor` of an earlier replay from the same `since`. */
  cursor?: string;
}

@Injectable()
export class ReplayDeliveriesUseCase implements UseCase<ReplayDeliveriesCommand, ReplayedDeliveries> {
  constructor(
    private readonly clock: Clock,
    private readonly subscriptions: SubscriptionStore,
    private readonly organisations: OrganisationStore,
    private readonly events: EventStore,
    private readonly deliveries: DeliveryStore,
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
  ) {}

  /**
   * Queues again the matching events since `since`, looking at REPLAY_MAX_EVENTS of them at most (in time order),
   * so that one request's work and memory are bounded however far back it reaches; only the columns the rule needs
   * are read, never the bodies. With more left, `nextCursor` goes on after the last one looked at.
   */
  async execute(command: ReplayDeliveriesCommand, tx: EntityManager): Promise<ReplayedDeliveries> {
    const after = command.cursor === undefined ? undefined : decodeReplayCursor(command.cursor);
    const max = this.config.REPLAY_MAX_EVENTS;
    const sub = await this.subscriptions.findOwn(tx, command.subscriptionId, command.caller, true);
    if (sub.state !== 'active') {
      throw new RuleViolationError('subscription_disabled', 'subscriptionId names a disabled subscription; nothing can be delivered to it', [
        { field: 'subscriptionId', message: 'is disabled' },
      ]);
    }
    const owner = (await this.organisations.find(tx, sub.org_id))!;
    const events = await this.events.since(tx, command.since, after, max + 1);
    const looked = events.slice(0, max);
    const rows: NewDelivery[] = [];
    for (const e of looked) {
      // The audience stamped by the producer decides, exactly as at fan-out: a replay never widens it.
      if (!subscriberWants(sub.types, owner, e.type, e.audience)) continue;
      rows.push({ subscriptionId: sub.id, eventId: e.id, eventType: e.type, entity: e.subject ?? '' });
    }
    const queued = await this.deliveries.insert(tx, rows, this.clock.now(), true);
    const last = looked[looked.length - 1];
    return events.length > max ? { queued, nextCursor: encodeReplayCursor({ time: last.at, id: last.id }) } : { queued };
  }
}
