// The webhook request itself, against real HTTP receivers on loopback: signed as Standard Webhooks, bounded by the
// timeout, not redirected, cut off at shutdown, and refused when a host name turns out to be an internal address.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ManualClock } from '@vantage/clock';
import { SecretBox } from '@vantage/crypto';
import { Receiver, waitFor } from '@vantage/testing';
import { DestinationPolicy, OutboundClient } from '@vantage/outbound';
import { NotifierConfig } from '../src';
import { notifierOutboundOptions } from '../src/config';
import { ClaimedDelivery, WebhookSender } from '../src/deliveries/webhook-sender';
import { SigningSecrets } from '../src/subscriptions/signing-secrets';

jest.setTimeout(30_000);

describe('webhook sender', () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const secrets = new SigningSecrets(SecretBox.fromSetting(`k1:${randomBytes(32).toString('base64')}`));
  const receivers: Receiver[] = [];
  const senders: WebhookSender[] = [];
  const clients: OutboundClient[] = [];
  afterAll(async () => {
    for (const s of senders) s.onModuleDestroy();
    for (const c of clients) await c.close();
    for (const r of receivers) await r.close();
  });

  function sender(settings: Partial<NotifierConfig> = {}): WebhookSender {
    const config = Object.assign(new NotifierConfig(), { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_TIMEOUT_MS: 15_000, ...settings });
    const options = notifierOutboundOptions(config);
    const client = new OutboundClient(new DestinationPolicy(options), options);
    clients.push(client);
    const s = new WebhookSender(config, new ManualClock(new Date().toISOString()), client, secrets);
    senders.push(s);
    return s;
  }
  async function receiver(answer?: Parameters<typeof Receiver.start>[0]): Promise<Receiver> {
    const r = await Receiver.start(answer);
    receivers.push(r);
    return r;
  }
  function delivery(url: string): ClaimedDelivery {
    const subscriptionId = '01a21b24-8fe4-7000-8000-00000000000a';
    return {
      id: '01a21b24-8fe4-7000-8000-00000000000b', subscriptionId, eventId: '01a21b24-8fe4-7000-8000-00000000000c', attemptCount: 0,
      body: JSON.stringify({ specversion: '1.0', id: 'e1', type: 'gov.vantage.test.v1', data: { n: 1 } }), url,
      secretSealed: secrets.seal(subscriptionId, secret), previousSecretSealed: null, previousSecretExpiresAt: null,
    };
  }

  it('posts the CloudEvent signed as Standard Webhooks, and reports the answer and its Retry-After', async () => {
    const r = await receiver(() => ({ status: 429, headers: { 'retry-after': '7' } }));
    const d = delivery(r.url);
    const outcome = await sender().send(d);
    expect(outcome).toMatchObject({ statusCode: 429, retryAfter: '7', error: 'endpoint answered 429' });
    const [got] = r.requests;
    expect(got.body).toBe(d.body);
    expect(got.headers['content-type']).toBe('application/cloudevents+json');
    expect(new Webhook(secret).verify(got.body, got.headers)).toEqual(JSON.parse(d.body));
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const target = await receiver();
    const r = await receiver(() => ({ status: 302, headers: { location: target.url } }));
    expect(await sender().send(delivery(r.url))).toMatchObject({ statusCode: 302, error: 'endpoint answered 302' });
    expect(target.requests).toHaveLength(0);
  });

  it('gives up on an endpoint that does not answer within WEBHOOK_TIMEOUT_MS', async () => {
    const r = await receiver(() => 'hang');
    const outcome = await sender({ WEBHOOK_TIMEOUT_MS: 300 }).send(delivery(r.url));
    expect(outcome.error).toBe('request failed: no answer within 300 ms');
    expect(outcome.statusCode).toBeUndefined();
  });

  it('abandons the requests in flight at shutdown: not an attempt the endpoint failed', async () => {
    const r = await receiver(() => 'hang');
    const s = sender();
    const pending = s.send(delivery(r.url));
    await waitFor(() => r.requests.length === 1, { what: 'the request at the endpoint' });
    s.abandonAll();
    expect(await pending).toMatchObject({ abandoned: true });
  });

  it('refuses a host name that resolves to an internal address the allow-list does not admit, before connecting', async () => {
    const r = await receiver();
    const port = new URL(r.url).port;
    // `localhost` is a name, so no check can happen until it is looked up; nothing is admitted here.
    const outcome = await sender({ OUTBOUND_ALLOWED_HOSTS: '' }).send(delivery(`https://localhost:${port}/hook`));
    expect(outcome.error).toBe('host localhost resolves to a loopback address, which Vantage does not call');
    expect(r.requests).toHaveLength(0);
  });

  it('refuses plain http to a host outside the allow-list, before connecting', async () => {
    const r = await receiver();
    const outcome = await sender({ OUTBOUND_ALLOWED_HOSTS: '10.0.0.0/8' }).send(delivery(r.url));
    expect(outcome.error).toMatch(/^must use https/);
    expect(outcome.statusCode).toBeUndefined();
    expect(r.requests).toHaveLength(0);
  });

  it('still admits the hosts of the deprecated WEBHOOK_ALLOWED_HOSTS', async () => {
    const r = await receiver();
    const outcome = await sender({ OUTBOUND_ALLOWED_HOSTS: '', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }).send(delivery(r.url));
    expect(outcome).toMatchObject({ statusCode: 200 });
    expect(r.requests).toHaveLength(1);
  });
});
