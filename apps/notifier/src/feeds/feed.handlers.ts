// The per-organisation NATS feeds take every event type Vantage defines on a durable consumer per producing domain of
// their own (`notifier-feed-intake`, …), apart from webhook fan-out: publishing an event to fifty organisations' feeds
// no longer holds the transaction that makes its webhook deliveries, and a feed JetStream cannot store delays no webhook.
// The inbox of this consumer makes each event's feed messages once; their fixed Nats-Msg-Id covers a retry after a
// publish that was stored but whose transaction then failed. Like every durable consumer it starts at the start of
// its stream: on a deployment that ran a version from before this consumer (when fan-out republished), the events
// still in the streams reach the feeds once more, with their CloudEvents ids unchanged for a reader to drop.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EVENT_CATALOGUE, EventEnvelope } from '@vantage/contracts';
import { ConsumeEvents } from '@vantage/messaging';
import { RepublishToFeedsUseCase } from './republish-to-feeds.use-case';

@Injectable()
export class FeedHandlers {
  constructor(private readonly republish: RepublishToFeedsUseCase) {}

  @ConsumeEvents(EVENT_CATALOGUE, { purpose: 'feed', perDomain: true, batch: true })
  async onEvents(events: EventEnvelope<unknown>[], tx: EntityManager): Promise<void> {
    await this.republish.execute({ events }, tx);
  }
}
