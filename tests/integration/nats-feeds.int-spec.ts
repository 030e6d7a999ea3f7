// Per-organisation NATS feeds: (a) the notifier republishes each event it fans out to
// `<prefix>.feed.<orgId>.<type>` for every organisation in its audience, into the FEED stream; (b) the gateway
// issues an organisation, at run time, a NATS user that can read its own feed with a plain NATS client, and is
// refused everyone else's subjects, consumers and stream details, and every publish. Every wait is bounded.
import { AckPolicy, ErrorCode, NatsConnection, StringCodec } from 'nats';
import { accountPublicKey, createNatsTrust, feedSignerOf, issueFeedCredentials } from '@vantage/messaging';
import { NOTIFIER } from '@vantage/apps/notifier';
import { startNotifier } from '../../apps/notifier/test/notifier-fixture';
import { SubmissionReceived } from '@vantage/contracts';
import { readStream, Receiver, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, submissionBody } from '../../apps/intake/test/gateway-fixture';
import { refused, subscriptionRefused } from './nats-refusals';

jest.setTimeout(90_000);

const DAY = 24 * 60 * 60 * 1000;

describe('per-organisation feeds: republishing', () => {
  let env: TestEnvironment;
  let gw: Gateway;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await env.migrate(NOTIFIER);
    gw = await Gateway.start(env);
    await startNotifier(env);
  });
  afterAll(() => env?.dispose());

  it('republishes an event to the feed of every organisation in its audience, and of no other', async () => {
    const owner = await gw.organisation('lab', 'Feed Lab');
    const otherLab = await gw.organisation('lab', 'Other Feed Lab');
    const agency = await gw.organisation('agency', 'Feed Agency', 'top-secret');
    const created = await gw.call('POST', '/v1/submissions', {
      key: owner.key,
      body: submissionBody({ plannedReleaseAt: new Date(env.clock.nowMs() + 20 * DAY).toISOString(), earliestAccessAt: undefined }),
    });
    expect(created.status).toBe(201);
    const submissionId = created.body.id as string;

    const nc = await env.nats();
    const feedStream = env.streamName('feed');
    const feed = (orgId: string) => readStream(nc, feedStream, `${env.prefix}.feed.${orgId}.>`);
    const ownerFeed = await waitFor(async () => {
      const messages = (await feed(owner.id)).filter((m) => m.subject === `${env.prefix}.feed.${owner.id}.${SubmissionReceived.type}`);
      return messages.length ? messages : undefined;
    }, { what: "the owner's feed message" });
    expect(ownerFeed).toHaveLength(1);
    const event = JSON.parse(ownerFeed[0].body);
    expect(event).toMatchObject({ type: SubmissionReceived.type, subject: submissionId, data: { labId: owner.id } });
    expect(event.audience).toBeUndefined();
    expect(ownerFeed[0].headers['Nats-Msg-Id']).toMatch(/^[0-9a-f-]{36}$/);
    // The original event, as published by intake, is the same event.
    const [original] = (await readStream(nc, env.streamName('intake'))).filter((m) => JSON.parse(m.body).subject === submissionId);
    expect(JSON.parse(original.body).id).toBe(event.id);
    expect(ownerFeed[0].headers['Nats-Msg-Id']).not.toBe(event.id);

    // An event's feed messages are written in one transaction of the feed consumer: once the owner's is there, all are.
    const everyFeedMessageOfIt = (await readStream(nc, feedStream)).filter((m) => JSON.parse(m.body).id === event.id);
    expect(everyFeedMessageOfIt.map((m) => m.subject)).toEqual([`${env.prefix}.feed.${owner.id}.${SubmissionReceived.type}`]);
    expect(await feed(otherLab.id).then((ms) => ms.filter((m) => JSON.parse(m.body).id === event.id))).toEqual([]);
    expect(await feed(agency.id).then((ms) => ms.filter((m) => JSON.parse(m.body).id === event.id))).toEqual([]);
  });

  it('delivers webhooks while the feed stream is gone, and fills the feeds once it is back', async () => {
    const lab = await gw.organisation('lab', 'Outage Lab');
    const receiver = await Receiver.start();
    const nc = await env.nats();
    const jsm = await nc.jetstreamManager();
    const feedStream = env.streamName('feed');
    const feedConfig = (await jsm.streams.info(feedStream)).config;
    try {
      const subscribed = await gw.call('POST', '/v1/subscriptions', { key: lab.key, body: { url: receiver.url, types: [SubmissionReceived.type] } });
      expect(subscribed.status).toBe(201);
      await jsm.streams.delete(feedStream);

      const submissionId = await gw.submit(lab.key, env.clock.now());
      const [delivered] = await waitFor(() => receiver.requests.length >= 1 && receiver.requests, { what: 'the webhook while the feed stream is gone' });
      expect(JSON.parse(delivered.body)).toMatchObject({ type: SubmissionReceived.type, subject: submissionId });
      expect(await jsm.streams.find(`${env.prefix}.feed.>`).catch(() => undefined)).toBeUndefined();

      // Back (as an operator or the next start-up recreates it): the feed consumer, which waited, publishes the event.
      await jsm.streams.add(feedConfig);
      const feedMessage = await waitFor(async () => {
        const messages = await readStream(nc, feedStream, `${env.prefix}.feed.${lab.id}.>`);
        return messages.find((m) => JSON.parse(m.body).subject === submissionId);
      }, { what: "the lab's feed message after the stream is back" });
      expect(JSON.parse(feedMessage.body).id).toBe(JSON.parse(delivered.body).id);
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await receiver.close();
      if (!(await jsm.streams.info(feedStream).catch(() => undefined))) await jsm.streams.add(feedConfig);
    }
  });
});

describe("per-organisation feeds: an organisation's own NATS user, issued by the gateway", () => {
  const sc = StringCodec();
  let env: TestEnvironment;
  let gw: Gateway;
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  let stream: string;
  const connections: NatsConnection[] = [];

  /** Feed credentials from the gateway, and a connection made with them as a customer's client would. */
  const connectAs = async (org: { key: string }, consumers?: string[]) => {
    const issued = await gw.call('POST', '/v1/feeds/credentials', { key: org.key, body: consumers ? { consumers } : {} });
    expect(issued.status).toBe(201);
    const nc = await env.natsAs(issued.body.creds, { inboxPrefix: issued.body.inboxPrefix, name: issued.body.user });
    connections.push(nc);
    return { nc, issued: issued.body };
  };

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    gw = await Gateway.start(env);
    stream = env.streamName('feed');
    a = await gw.organisation('agency', 'Feed Agency A', 'secret');
    b = await gw.organisation('agency', 'Feed Agency B', 'secret');
    const js = (await env.nats()).jetstream();
    await js.publish(`${env.prefix}.feed.${a.id}.gov.vantage.window.window.opened.v1`, sc.encode(`{"for":"${a.id}"}`), { msgID: 'a-1' });
    await js.publish(`${env.prefix}.feed.${b.id}.gov.vantage.window.window.opened.v1`, sc.encode(`{"for":"${b.id}"}`), { msgID: 'b-1' });
  });

  afterAll(async () => {
    for (const nc of connections) await nc.close().catch(() => undefined);
    await env?.dispose();
  });

  it('issues credentials that say where and how to read, once, and never to a caller without a key', async () => {
    const issued = await gw.call('POST', '/v1/feeds/credentials', { key: a.key, body: { consumers: ['alerts'] } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      user: a.id,
      inboxPrefix: `_INBOX.${a.id}`,
      stream,
      filterSubject: `${env.prefix}.feed.${a.id}.>`,
      consumers: [a.id, `${a.id}_alerts`],
    });
    expect(issued.body.creds).toMatch(/-----BEGIN NATS USER JWT-----[\s\S]+-----BEGIN USER NKEY SEED-----/);
    // Good for a day of wall-clock time, whatever the gateway's (test) clock says.
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect((await gw.call('POST', '/v1/feeds/credentials', { body: {} })).status).toBe(401);
    const bad = await gw.call('POST', '/v1/feeds/credentials', { key: a.key, body: { consumers: ['Has.Dots'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toContain('consumers');
  });

  it('lets an organisation create a consumer on its own subjects and read its own message', async () => {
    const { nc } = await connectAs(a);
    const jsm = await nc.jetstreamManager({ timeout: 2000 });
    await jsm.consumers.add(stream, { durable_name: a.id, filter_subject: `${env.prefix}.feed.${a.id}.>`, ack_policy: AckPolicy.Explicit });
    const consumer = await nc.jetstream({ timeout: 2000 }).consumers.get(stream, a.id);
    const m = await consumer.next({ expires: 2000 });
    expect(m?.subject).toBe(`${env.prefix}.feed.${a.id}.gov.vantage.window.window.opened.v1`);
    expect(JSON.parse(sc.decode(m!.data))).toEqual({ for: a.id });
    m!.ack();
    // Only its own message is in its consumer.
    expect((await jsm.consumers.info(stream, a.id)).num_pending).toBe(0);
  });

  it("refuses an organisation another's subjects, consumers and stream details, and every publish", async () => {
    // B's consumer exists, made by B itself.
    const { nc: bc } = await connectAs(b, ['alerts']);
    await (await bc.jetstreamManager({ timeout: 2000 })).consumers.add(stream, {
      durable_name: `${b.id}_alerts`, filter_subject: `${env.prefix}.feed.${b.id}.>`, ack_policy: AckPolicy.Explicit,
    });

    const { nc } = await connectAs(a);
    const jsm = await nc.jetstreamManager({ timeout: 2000 });
    // Its own consumer name with B's subjects, a consumer named like B's, a filter wider than its own feed.
    await refused(jsm.consumers.add(stream, { durable_name: a.id, filter_subject: `${env.prefix}.feed.${b.id}.>`, ack_policy: AckPolicy.Explicit }));
    await refused(jsm.consumers.add(stream, { durable_name: `${b.id}_alerts`, filter_subject: `${env.prefix}.feed.${b.id}.>`, ack_policy: AckPolicy.Explicit }));
    await refused(jsm.consumers.add(stream, { durable_name: a.id, filter_subject: `${env.prefix}.feed.>`, ack_policy: AckPolicy.Explicit }));
    // B's consumer: neither its information nor its messages.
    await refused(jsm.consumers.info(stream, `${b.id}_alerts`));
    await refused(nc.request(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${b.id}_alerts`, sc.encode('{"batch":1,"expires":1000000000}'), { timeout: 2000 }));
    // The stream's details, whose subjects_filter would list every organisation's feed subjects.
    await refused(jsm.streams.info(stream, { subjects_filter: '>' }));
    await refused(nc.request('$JS.API.STREAM.LIST', sc.encode('{}'), { timeout: 2000 }));
    // Publishing anything: a forged grant, a message into another's feed.
    await refused(nc.request(`${env.prefix}.window.grant.issued`, sc.encode('{}'), { timeout: 2000 }));
    await refused(nc.request(`${env.prefix}.feed.${b.id}.gov.vantage.window.window.opened.v1`, sc.encode('{}'), { timeout: 2000 }));
    // Nor B's subjects directly, nor the shared inbox where others' fetched messages arrive.
    for (const subject of [`${env.prefix}.feed.${b.id}.>`, '_INBOX.>', `_INBOX.${b.id}.>`]) await subscriptionRefused(nc, subject);
    // B still reads its own message: nothing A tried disturbed it.
    const m = await (await bc.jetstream({ timeout: 2000 }).consumers.get(stream, `${b.id}_alerts`)).next({ expires: 2000 });
    expect(JSON.parse(sc.decode(m!.data))).toEqual({ for: b.id });
  });

  it('refuses credentials once they have expired, and any signed by a key the account does not name', async () => {
    // The same signer's credentials, good for an hour, connect: what fails below fails for its expiry or its signer.
    const valid = await issueFeedCredentials(feedSignerOf(env.natsTrust), a.id, { expiresAt: new Date(Date.now() + 3600_000) });
    await (await env.natsAs(valid.creds, { inboxPrefix: valid.inboxPrefix })).close();
    const expired = await issueFeedCredentials(feedSignerOf(env.natsTrust), a.id, { expiresAt: new Date(Date.now() - 60_000) });
    await expect(env.natsAs(expired.creds, { inboxPrefix: expired.inboxPrefix })).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
    const stranger = createNatsTrust(env.prefix);
    const forged = await issueFeedCredentials({ ...feedSignerOf(stranger), accountPublicKey: accountPublicKey(env.natsTrust) }, a.id, { expiresAt: new Date(Date.now() + 3600_000) });
    await expect(env.natsAs(forged.creds, { inboxPrefix: forged.inboxPrefix })).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
  });
});
