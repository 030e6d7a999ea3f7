// Republishes each fanned-out event to the feed of every organisation in its audience, straight to JetStream from
// the fan-out transaction, before it commits. Each feed message's Nats-Msg-Id is fixed per (event, organisation): if
// the transaction then fails, the event comes again and its republished copies are dropped by the stream's duplicate
// window. Going through the outbox instead would write, read and mark one Postgres row per feed message: at 50
// organisations an event, more than all the webhook deliveries' own writes.
import { Inject, Injectable } from '@nestjs/common';
import { createInbox, headers as natsHeaders } from 'nats';
import { EntityManager } from 'typeorm';
import { Audience, EventEnvelope } from '@vantage/contracts';
import { MESSAGING_OPTIONS, MessagingOptions, NatsClient } from '@vantage/messaging';
import { audienceMember, OrganisationRow } from '../subscriptions/organisation-directory';
import { feedMessageId, feedSubject, isSubjectToken } from './feed-subjects';

/** How long the stream has to acknowledge a batch of feed messages before the fan-out transaction fails. */
const PUBLISH_TIMEOUT_MS = 10_000;

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
    const messages: { subject: string; data: Uint8Array; headers: ReturnType<typeof natsHeaders> }[] = [];
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
    await this.publishAcked(messages);
    return messages.length;
  }

  /**
   * JetStream publishes, pipelined, each acknowledged by the stream on one reply subscription: what
   * `jetstream.publish` does per message (a request with its own timer and error objects) cost more CPU than the
   * webhook it accompanies. Resolves when every message is stored (or was a duplicate); rejects otherwise.
   */
  private publishAcked(messages: { subject: string; data: Uint8Array; headers: ReturnType<typeof natsHeaders> }[]): Promise<void> {
    if (!messages.length) return Promise.resolve();
    const connection = this.nats.connection;
    const inbox = createInbox();
    const decoder = new TextDecoder();
    return new Promise<void>((resolve, reject) => {
      let waiting = messages.length;
      const acked = new Uint8Array(messages.length);
      const fail = (e: Error) => {
        clearTimeout(timer);
        sub.unsubscribe();
        reject(e);
      };
      const timer = setTimeout(() => fail(new Error(`feed: ${waiting} of ${messages.length} messages not acknowledged within ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS);
      const sub = connection.subscribe(`${inbox}.*`, {
        callback: (err, msg) => {
          if (err) return fail(err);
          const i = Number(msg.subject.slice(inbox.length + 1));
          // No stream takes the subject: the server answers with an empty 503 status message.
          if (msg.data.length === 0) return fail(new Error(`feed: no stream stored ${messages[i]?.subject} (${msg.headers?.code ?? 'no answer'})`));
          const ack = JSON.parse(decoder.decode(msg.data)) as { error?: { description?: string } };
          if (ack.error) return fail(new Error(`feed: ${messages[i]?.subject} refused: ${ack.error.description ?? 'error'}`));
          if (acked[i]) return;
          acked[i] = 1;
          if (--waiting === 0) {
            clearTimeout(timer);
            sub.unsubscribe();
            resolve();
          }
        },
      });
      messages.forEach((m, i) => connection.publish(m.subject, m.data, { reply: `${inbox}.${i}`, headers: m.headers }));
    });
  }
}
