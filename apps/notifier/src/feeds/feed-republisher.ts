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
import { audienceMember, OrganisationRow } from '../subscriptions/organisation-directory';
import { feedMessageId, feedSubject, isSubjectToken } from './feed-subjects';

@Injectable()
export class FeedRepublisher {
  private readonly encoder = new TextEncoder();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly nats: NatsClient,
  ) {}

  /** `bodies[i]` is event i as subscribers see it (without `audience`). Returns how many feed messages were published. */
  async republish(tx: EntityManager, events: EventEnvelope<unknown>[], bodies: string[]): Promise<number> {
    if (!events.length) return 0;
    // The whole directory per batch: the programme has hundreds of organisations, not millions.
    const organisations: OrganisationRow[] = await tx.query('SELECT id, kind, clearance FROM notify.organisations');
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
