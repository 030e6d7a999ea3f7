// Per-organisation NATS feeds: (a) the notifier republishes each event it fans out to
// `<prefix>.feed.<orgId>.<type>` for every organisation in its audience, into the FEED stream; (b) the NATS
// configuration from deploy/nats lets an organisation's user read its own feed with a plain NATS client, and
// refuses it everyone else's subjects and consumers. Part (b) runs its own nats-server; every wait is bounded.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AckPolicy, connect, ErrorCode, NatsConnection, NatsError, StringCodec } from 'nats';
import { NOTIFIER } from '@vantage/apps/notifier';
import { startNotifier } from '../../apps/notifier/test/notifier-fixture';
import { SubmissionReceived } from '@vantage/contracts';
import { freePort, readStream, Receiver, TestEnvironment, waitFor } from '@vantage/testing';
import { generateNatsConfig } from '../../deploy/nats/generate-config';
import { Gateway, submissionBody } from '../../apps/intake/test/gateway-fixture';

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

describe('per-organisation feeds: the generated NATS configuration', () => {
  const prefix = 'tfeed';
  const stream = 'TFEED_FEED';
  const sc = StringCodec();
  let dir: string;
  let server: ChildProcess | undefined;
  let url: string;
  let secrets: { user: string; password: string; inboxPrefix?: string }[];
  const connections: NatsConnection[] = [];

  const as = async (user: string) => {
    const s = secrets.find((x) => x.user === user)!;
    const nc = await connect({ servers: url, user: s.user, pass: s.password, ...(s.inboxPrefix ? { inboxPrefix: s.inboxPrefix } : {}), timeout: 2000 });
    connections.push(nc);
    return nc;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vantage-nats-feeds-'));
    const port = await freePort();
    const generated = generateNatsConfig({
      orgs: [{ id: 'agency-a' }, { id: 'agency-b', consumers: ['alerts'] }],
      prefix,
      host: '127.0.0.1',
      port,
      storeDir: path.join(dir, 'jetstream'),
    });
    expect(generated.feedStream).toBe(stream);
    secrets = generated.secrets;
    const file = path.join(dir, 'nats.conf');
    writeFileSync(file, generated.config, { mode: 0o600 });
    server = spawn('/usr/sbin/nats-server', ['-c', file], { stdio: 'ignore' });
    url = `nats://127.0.0.1:${port}`;
    const service = await waitFor(() => connect({ servers: url, user: 'vantage-service', pass: secrets[0].password }).catch(() => undefined), {
      what: 'the nats-server to accept the service user',
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    connections.push(service);
    const jsm = await service.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.feed.>`] });
    const js = service.jetstream();
    await js.publish(`${prefix}.feed.agency-a.gov.vantage.window.window.opened.v1`, sc.encode('{"for":"agency-a"}'), { msgID: 'a-1' });
    await js.publish(`${prefix}.feed.agency-b.gov.vantage.window.window.opened.v1`, sc.encode('{"for":"agency-b"}'), { msgID: 'b-1' });
  });

  afterAll(async () => {
    for (const nc of connections) await nc.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const refused = async (attempt: Promise<unknown>) => {
    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NatsError);
    expect((error as NatsError).code).toBe(ErrorCode.PermissionsViolation);
  };

  it("lets an agency create a consumer on its own subjects and read its own message", async () => {
    const nc = await as('agency-a');
    const jsm = await nc.jetstreamManager({ timeout: 2000 });
    await jsm.consumers.add(stream, { durable_name: 'agency-a', filter_subject: `${prefix}.feed.agency-a.>`, ack_policy: AckPolicy.Explicit });
    const consumer = await nc.jetstream({ timeout: 2000 }).consumers.get(stream, 'agency-a');
    const m = await consumer.next({ expires: 2000 });
    expect(m?.subject).toBe(`${prefix}.feed.agency-a.gov.vantage.window.window.opened.v1`);
    expect(JSON.parse(sc.decode(m!.data))).toEqual({ for: 'agency-a' });
    m!.ack();
    // Only its own message is in its consumer.
    expect((await jsm.consumers.info(stream, 'agency-a')).num_pending).toBe(0);
  });

  it("refuses an agency another agency's subjects and consumers", async () => {
    // Agency B's consumer exists, made by B itself.
    const b = await as('agency-b');
    await (await b.jetstreamManager({ timeout: 2000 })).consumers.add(stream, {
      durable_name: 'agency-b', filter_subject: `${prefix}.feed.agency-b.>`, ack_policy: AckPolicy.Explicit,
    });

    const a = await as('agency-a');
    const jsm = await a.jetstreamManager({ timeout: 2000 });
    // Its own consumer name with B's subjects, a consumer named like B's, a filter wider than its own feed.
    await refused(jsm.consumers.add(stream, { durable_name: 'agency-a', filter_subject: `${prefix}.feed.agency-b.>`, ack_policy: AckPolicy.Explicit }));
    await refused(jsm.consumers.add(stream, { durable_name: 'agency-b', filter_subject: `${prefix}.feed.agency-b.>`, ack_policy: AckPolicy.Explicit }));
    await refused(jsm.consumers.add(stream, { durable_name: 'agency-a', filter_subject: `${prefix}.feed.>`, ack_policy: AckPolicy.Explicit }));
    // B's consumer: neither its information nor its messages.
    await refused(jsm.consumers.info(stream, 'agency-b'));
    await refused(a.request(`$JS.API.CONSUMER.MSG.NEXT.${stream}.agency-b`, sc.encode('{"batch":1,"expires":1000000000}'), { timeout: 2000 }));
    // Nor B's subjects directly, nor the shared inbox where B's fetched messages arrive.
    for (const subject of [`${prefix}.feed.agency-b.>`, '_INBOX.>']) {
      const sub = a.subscribe(subject);
      const ended = await (async () => {
        try {
          for await (const _ of sub) return 'message';
          return 'closed';
        } catch (e) {
          return (e as NatsError).code;
        }
      })();
      expect(ended).toBe(ErrorCode.PermissionsViolation);
    }
    // B still reads its own message: nothing A tried disturbed it.
    const m = await (await b.jetstream({ timeout: 2000 }).consumers.get(stream, 'agency-b')).next({ expires: 2000 });
    expect(JSON.parse(sc.decode(m!.data))).toEqual({ for: 'agency-b' });
  });
});
