// The per-organisation NATS feeds take every event type on a durable consumer per producing domain of their own
// (`notifier-feed-intake`, …), apart from webhook fan-out: publishing an event to fifty organisations' feeds no
// longer holds the transaction that makes its webhook deliveries, and a feed JetStream cannot store delays no webhook.
// The inbox of this consumer makes each event's feed messages once; their fixed Nats-Msg-Id covers a retry after a
// publish that was stored but whose transaction then failed. Like every durable consumer it starts at the start of
// its stream: on a deployment that ran a version from before this consumer (when fan-out republished), the events
// still in the streams reach the feeds once more, with their CloudEvents ids unchanged for a reader to drop.
import { Injectable } from '@nestjs/common';
import { EventEnvelope, OrganisationCreated, OrganisationCreatedV1 } from '@vantage/contracts';
import { webhookBody } from '../deliveries/delivery-rows';
import { BatchHandler, handleEveryEventType } from '../events/every-event-type';
import { OrganisationDirectory } from '../subscriptions/organisation-directory';
import { FeedRepublisher } from './feed-republisher';

@Injectable()
export class FeedHandlers {
  constructor(
    readonly feeds: FeedRepublisher,
    readonly organisations: OrganisationDirectory,
  ) {}
}

const republishOnly: BatchHandler<FeedHandlers> = async function (events, tx) {
  await this.feeds.republish(tx, events, events.map(webhookBody));
};

// A new organisation's own `organisation.created` reaches its feed whichever consumer takes it first: both record
// it (the same upsert), each in its own transaction.
const recordOrganisationThenRepublish: BatchHandler<FeedHandlers> = async function (events, tx) {
  await this.organisations.recordCreated(tx, events as EventEnvelope<OrganisationCreatedV1>[]);
  await this.feeds.republish(tx, events, events.map(webhookBody));
};

handleEveryEventType(FeedHandlers, 'feed', (definition) => (definition === OrganisationCreated ? recordOrganisationThenRepublish : republishOnly));
