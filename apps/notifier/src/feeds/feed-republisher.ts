// Republishes each fanned-out event to the feed of every organisation in its audience, through the notifier's
// outbox in the fan-out transaction: a feed message exists exactly when the event was fanned out.
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Audience, EventEnvelope } from '@vantage/contracts';
import { MESSAGING_OPTIONS, MessagingOptions, outboxChannel } from '@vantage/messaging';
import { audienceMember, OrganisationRow } from '../subscriptions/organisation-directory';
import { feedMessageId, feedSubject, isSubjectToken } from './feed-subjects';

@Injectable()
export class FeedRepublisher {
  constructor(@Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions) {}

  /** `bodies[i]` is event i as subscribers see it (without `audience`). Returns how many feed messages were written. */
  async republish(tx: EntityManager, events: EventEnvelope<unknown>[], bodies: string[]): Promise<number> {
    if (!events.length) return 0;
    // The whole directory per batch: the programme has hundreds of organisations, not millions.
    const organisations: OrganisationRow[] = await tx.query('SELECT id, kind, clearance FROM notify.organisations');
    const ids: string[] = [];
    const subjects: string[] = [];
    const envelopes: string[] = [];
    const prefix = this.options.config.VANTAGE_NATS_PREFIX;
    events.forEach((event, i) => {
      const audience = Audience.parse(event.audience);
      for (const org of organisations) {
        if (!isSubjectToken(org.id) || !audience.includes(audienceMember(org))) continue;
        ids.push(feedMessageId(event.id, org.id));
        subjects.push(feedSubject(prefix, org.id, event.type));
        envelopes.push(bodies[i]);
      }
    });
    if (!ids.length) return 0;
    // Written straight into the outbox (not EventOutbox.record): the message is the producer's event, unchanged
    // but for `audience`, and its outbox id, which becomes the Nats-Msg-Id, is the (event, organisation) id.
    const written: unknown[] = await tx.query(
      `INSERT INTO outbox (event_id, nats_subject, envelope)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[])
       ON CONFLICT (event_id) DO NOTHING RETURNING 1`,
      [ids, subjects, envelopes],
    );
    // Wakes the relay on commit, as EventOutbox does.
    if (written.length) await tx.query('SELECT pg_notify($1, $2)', [outboxChannel(this.options), '']);
    return written.length;
  }
}
