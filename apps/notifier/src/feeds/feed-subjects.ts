// The per-organisation NATS feeds: `<prefix>.feed.<orgId>.<event type>` in the `<PREFIX>_FEED` stream.
// The gateway issues each organisation a NATS user (POST /v1/feeds/credentials) that may read its own subjects only.
import { v5 as uuidv5 } from 'uuid';

/** A fixed namespace: the same (event, organisation) always makes the same Nats-Msg-Id. */
const FEED_MESSAGE_NAMESPACE = '5f0c7f0e-3c51-4d47-9a57-7c2a4e0d9b11';

export function feedSubject(prefix: string, orgId: string, eventType: string): string {
  return `${prefix}.feed.${orgId}.${eventType}`;
}

/** An organisation id that is one subject token: anything else could reach into another organisation's subjects. */
export function isSubjectToken(value: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(value);
}

/** Stable per (event, organisation), so a republished feed message is dropped by JetStream's duplicate window. */
export function feedMessageId(eventId: string, orgId: string): string {
  return uuidv5(`${eventId}/${orgId}`, FEED_MESSAGE_NAMESPACE);
}
