// Webhooks as Vantage sends them: Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
// `webhook-signature`) over a CloudEvents JSON body. `verifyWebhook` is what a receiver runs before trusting one: it
// checks the signature with the subscription's secret (`whsec_…`) and that the timestamp is recent (5 minutes),
// through the standardwebhooks library, and returns the event. `signWebhook` makes the same headers, for forwarding
// an event to a local receiver (`vantage listen --forward-to`) with a secret of one's own.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export { WebhookVerificationError };

export interface WebhookEvent<T = unknown> {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  data: T;
  [extension: string]: unknown;
}

/** Verifies a delivery (the raw body, exactly as received) and returns its event; throws WebhookVerificationError. */
export function verifyWebhook<T = unknown>(secret: string, rawBody: string | Buffer, headers: Record<string, string | string[] | undefined>): WebhookEvent<T> {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return new Webhook(secret).verify(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'), flat) as WebhookEvent<T>;
}

/** The Standard Webhooks headers for a body, signed with `secret` (`whsec_…`) at `timestamp`. */
export function signWebhook(secret: string, messageId: string, body: string, timestamp = new Date()): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, timestamp, body),
  };
}

/** A new signing secret in the Standard Webhooks form. */
export function newWebhookSecret(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  return `whsec_${Buffer.from(bytes).toString('base64')}`;
}
