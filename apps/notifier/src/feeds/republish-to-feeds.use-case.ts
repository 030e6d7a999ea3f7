// Republishes each event to the feed of every organisation in its audience, straight to JetStream from the feed
// consumer's transaction, before it commits. Each feed message's Nats-Msg-Id is fixed per (event, organisation): if
// the transaction then fails, the event comes again and its republished copies are dropped by the stream's duplicate
// window. Going through the outbox instead would write, read and mark one Postgres row per feed message: at 50
// organisations an event, more than all the webhook deliveries' own writes.
import { Inject, Injectable } from '@nestjs/common';
import { headers as natsHeaders } from 'nats';
import { EntityManager } from 'typeorm';
import { Audience, EventEnvelope } from '@vantage/contracts';
import { MESSAGING_OPTIONS, MessagingOptions, NatsClient, StreamMessage } from '@vantage/messaging';
import { UseCase } from '@vantage/runtime';
import { audienceMember, webhookBody } from '../audience/audience';
import { OrganisationStore } from '../audience/organisation-store';
import { feedMessageId, feedSubject, isSubjectToken } from './feed-subjects';

export interface RepublishToFeedsCommand {
  events: EventEnvelope<unknown>[];
}

@Injectable()
export class RepublishToFeedsUseCase implements UseCase<RepublishToFeedsCommand, number> {
  private readonly encoder = new TextEncoder();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly nats: NatsClient,
    private readonly organisations: OrganisationStore,
  ) {}

  /** Returns how many feed messages were published. */
  async execute({ events }: RepublishToFeedsCommand, tx: EntityManager): Promise<number> {
    if (!events.length) return 0;
    // A new organisation's own `organisation.created` reaches its feed whichever consumer takes it first: fan-out and
    // this both record it (the same upsert), each in its own transaction.
    await this.organisations.recordCreated(tx, events);
    const bodies = events.map(webhookBody);
    // The whole directory per batch: the programme has hundreds of organisations, not millions.
    const organisations = await this.organisations.all(tx);
    const prefix = this.options.config.VANTAGE_NATS_PREFIX;
    const messages: StreamMessage[] = [];
    events.forEach((event, i) => {
      const audience = Audience.parse(event.audience);
      const data = this.encoder.encode(bodies[i]);
      for (const org of organisations) {
        if (!isSubjectToken(org.id) || !audience.includes(audienceMember(org))) continue;
        // The same headers the outbox relay gives the producer's own message.
        const h = natsHeaders();
        if (event.traceparent) h.set('traceparent', event.traceparent);
        if (event.correlationid) h.set('correlationid', event.correlationid);
        h.set('Content-Type', 'application/cloudevents+json');
        h.set('Nats-Msg-Id', feedMessageId(event.id, org.id));
        messages.push({ subject: feedSubject(prefix, org.id, event.type), data, headers: h });
      }
    });
    await this.nats.publishToStreams(messages);
    return messages.length;
  }
}
