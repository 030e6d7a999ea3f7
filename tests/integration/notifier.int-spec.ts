// Webhooks end to end in one process: labs and agencies subscribe through the gateway, real flows (a lab's
// submissions) make events, and the notifier fans them out to real HTTP receivers on 127.0.0.1, signed per
// Standard Webhooks, retried on the Svix schedule driven by a controllable clock, one lane per endpoint.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { NOTIFIER } from '@vantage/apps/notifier';
import { startNotifier } from '../../apps/notifier/test/notifier-fixture';
import { EndpointDisabled, SubmissionReceived } from '@vantage/contracts';
import { readEvents, Receiver, RunningService, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(90_000);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('webhook subscriptions and deliveries', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let notifier: RunningService;

  beforeAll(async () => {
    // Near the real time: the standardwebhooks library checks the timestamp against the wall clock.
    env = await TestEnvironment.create(new Date().toISOString());
    await env.migrate(NOTIFIER);
    gw = await Gateway.start(env);
    notifier = await startNotifier(env, { WEBHOOK_POLL_MS: 50 });
  });
  afterAll(() => env?.dispose());

  type Org = { id: string; key: string };

  const subscribe = async (who: Org, url: string, types: string[] = [SubmissionReceived.type]) => {
    const created = await gw.call('POST', '/v1/subscriptions', { key: who.key, body: { url, types } });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string; url: string; types: string[] };
  };
  const submit = (who: Org): Promise<string> => gw.submit(who.key, env.clock.now());
  const eventIdOf = (submissionId: string) =>
    waitFor(async () => (await readEvents(await env.nats(), env.streamName('intake'))).find((e) => e.subject === submissionId && e.type === SubmissionReceived.type)?.id, {
      what: 'the submission.received event',
    });
  const deliveries = async (who: Org, subscriptionId: string, status?: string): Promise<any[]> => {
    const answer = await gw.call('GET', `/v1/subscriptions/${subscriptionId}/deliveries${status ? `?status=${status}` : ''}`, { key: who.key });
    expect(answer.status).toBe(200);
    return answer.body.items;
  };
  const received = (r: Receiver, n: number) => waitFor(() => r.requests.length >= n && r.requests, { what: `${n} request(s) at the receiver` });

  it('refuses a bad type pattern naming types[i], and a private destination naming url', async () => {
    const lab = await gw.organisation('lab', 'Careless Lab');
    const badType = await gw.call('POST', '/v1/subscriptions', {
      key: lab.key,
      body: { url: 'http://127.0.0.1:9/hook', types: ['gov.vantage.window.*', 'gov.vantage.windw.*', 'not a *type'] },
    });
    expect(badType.status).toBe(400);
    expect(badType.body.errors.map((e: any) => e.field)).toEqual(['types[1]', 'types[2]']);

    for (const url of ['http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:192.168.1.1]/x']) {
      const privateUrl = await gw.call('POST', '/v1/subscriptions', { key: lab.key, body: { url, types: ['gov.vantage.window.*'] } });
      expect(privateUrl.status).toBe(422);
      expect(privateUrl.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    }
    // Nothing was half-made.
    expect((await gw.call('GET', '/v1/subscriptions', { key: lab.key })).body.items).toEqual([]);
    const operator = await gw.call('POST', '/v1/subscriptions', { key: gw.operatorKey, body: { url: 'http://127.0.0.1:9/', types: ['*'] } });
    expect(operator.status).toBe(403);
  });

  it('answers a repeated subscription with the same Idempotency-Key with the first one and its secret, and makes one', async () => {
    const lab = await gw.organisation('lab', 'Retrying Lab');
    const body = { url: 'http://127.0.0.1:9/retried-hook', types: ['gov.vantage.window.*'] };
    const headers = { 'idempotency-key': 'subscribe-retry-1' };
    const first = await gw.call('POST', '/v1/subscriptions', { key: lab.key, body, headers });
    const again = await gw.call('POST', '/v1/subscriptions', { key: lab.key, body, headers });
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(first.body.secret).toMatch(/^whsec_/);
    expect((await gw.call('GET', '/v1/subscriptions', { key: lab.key })).body.items).toHaveLength(1);
    // The secret is kept sealed with the subscription, not in the stored answer.
    const [stored] = await env.query('SELECT response::text AS response FROM notify.idempotency_keys WHERE key = $1', ['subscribe-retry-1']);
    expect(stored.response).not.toContain(first.body.secret);
    const other = await gw.call('POST', '/v1/subscriptions', { key: lab.key, body: { ...body, url: 'http://127.0.0.1:9/other' }, headers });
    expect(other).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
  });

  it('signs each delivery so that standardwebhooks accepts it, and refuses a tampered body or a stale timestamp', async () => {
    const lab = await gw.organisation('lab', 'Signing Lab');
    const receiver = await Receiver.start();
    try {
      const sub = await subscribe(lab, receiver.url, ['gov.vantage.intake.submission.*']);
      expect(sub.secret).toMatch(/^whsec_/);
      const submissionId = await submit(lab);
      const [req] = await received(receiver, 1);

      expect(req.headers['content-type']).toBe('application/cloudevents+json');
      const webhook = new Webhook(sub.secret);
      const event = webhook.verify(req.body, req.headers) as any;
      expect(event).toMatchObject({ specversion: '1.0', type: SubmissionReceived.type, subject: submissionId, data: { labId: lab.id } });
      expect(event.audience).toBeUndefined();
      expect(req.headers['webhook-id']).toBe(await eventIdOf(submissionId));

      expect(() => webhook.verify(req.body.replace(submissionId, '00000000-0000-4000-8000-000000000000'), req.headers)).toThrow(WebhookVerificationError);
      const stale = Math.floor(Date.now() / 1000) - 10 * 60;
      const staleHeaders = { ...req.headers, 'webhook-timestamp': String(stale), 'webhook-signature': webhook.sign(req.headers['webhook-id'], new Date(stale * 1000), req.body) };
      expect(() => webhook.verify(req.body, staleHeaders)).toThrow(/too old/);

      const log = await waitFor(async () => {
        const items = await deliveries(lab, sub.id, 'succeeded');
        return items.length ? items : undefined;
      }, { what: 'the delivery log' });
      expect(log).toEqual([expect.objectContaining({ eventId: event.id, status: 'succeeded', attempts: [expect.objectContaining({ attempt: 1, statusCode: 200 })] })]);

      // The secret is sealed at rest and appears in no log line.
      const [row] = await env.query('SELECT * FROM notify.subscriptions WHERE id = $1', [sub.id]);
      expect(JSON.stringify(row)).not.toContain(sub.secret.slice('whsec_'.length));
      expect(notifier.logs.text()).not.toContain(sub.secret.slice('whsec_'.length));
      // Another organisation cannot see or touch it.
      const other = await gw.organisation('lab', 'Nosy Lab');
      expect((await gw.call('GET', `/v1/subscriptions/${sub.id}/deliveries`, { key: other.key })).status).toBe(404);
      expect((await gw.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: other.key })).status).toBe(404);
    } finally {
      await receiver.close();
    }
  });

  it('delivers an event only to organisations in its audience', async () => {
    const owner = await gw.organisation('lab', 'Owner Lab');
    const otherLab = await gw.organisation('lab', 'Other Lab');
    const agency = await gw.organisation('agency', 'Curious Agency', 'top-secret');
    const [ownerEndpoint, otherEndpoint, agencyEndpoint] = [await Receiver.start(), await Receiver.start(), await Receiver.start()];
    try {
      await subscribe(owner, ownerEndpoint.url);
      const otherSub = await subscribe(otherLab, otherEndpoint.url, ['gov.vantage.intake.*']);
      const agencySub = await subscribe(agency, agencyEndpoint.url, ['gov.vantage.*']);
      const ownersSubmission = await submit(owner);
      await received(ownerEndpoint, 1);
      // The other lab's own submission is fanned out after the owner's (one consumer, stream order): once it
      // has arrived, the owner's event has been fanned out too, and went nowhere else.
      const othersSubmission = await submit(otherLab);
      const [theirs] = await received(otherEndpoint, 1);
      expect(JSON.parse(theirs.body).subject).toBe(othersSubmission);
      expect(otherEndpoint.requests).toHaveLength(1);
      expect(agencyEndpoint.requests).toHaveLength(0);
      const ownersEvent = await eventIdOf(ownersSubmission);
      const leaked = await env.query('SELECT 1 FROM notify.deliveries WHERE event_id = $1 AND subscription_id = ANY($2::uuid[])', [ownersEvent, [otherSub.id, agencySub.id]]);
      expect(leaked).toEqual([]);
    } finally {
      for (const r of [ownerEndpoint, otherEndpoint, agencyEndpoint]) await r.close();
    }
  });

  it('signs with both secrets for 24 hours after a rotation, then with the new one only', async () => {
    const lab = await gw.organisation('lab', 'Rotating Lab');
    const receiver = await Receiver.start();
    try {
      const sub = await subscribe(lab, receiver.url);
      const rotated = await gw.call('POST', `/v1/subscriptions/${sub.id}/rotate-secret`, { key: lab.key });
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(sub.secret);
      await submit(lab);
      const [during] = await received(receiver, 1);
      expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
      expect(new Webhook(sub.secret).verify(during.body, during.headers)).toBeTruthy();
      expect(new Webhook(rotated.body.secret).verify(during.body, during.headers)).toBeTruthy();

      env.clock.advance(DAY + SECOND);
      await submit(lab);
      const [, after] = await received(receiver, 2);
      // The clock is now a day ahead of the wall clock, so signatures are compared directly rather than verified.
      const at = new Date(Number(after.headers['webhook-timestamp']) * 1000);
      expect(at.getTime()).toBe(Math.floor(env.clock.nowMs() / 1000) * 1000);
      expect(after.headers['webhook-signature']).toBe(new Webhook(rotated.body.secret).sign(after.headers['webhook-id'], at, after.body));
    } finally {
      await receiver.close();
    }
  });

  it('retries a failing endpoint on the schedule, 5 s then 5 min, with the same webhook-id, until it answers', async () => {
    const lab = await gw.organisation('lab', 'Flaky Lab');
    const receiver = await Receiver.start((n) => ({ status: n <= 2 ? 503 : 204 }));
    try {
      const sub = await subscribe(lab, receiver.url);
      // The clock stands still until the test moves it: every time below is exact.
      const t0Ms = env.clock.nowMs();
      const t0 = Math.floor(t0Ms / 1000);
      const eventId = await eventIdOf(await submit(lab));
      await received(receiver, 1);
      const attempted = (n: number) =>
        waitFor(async () => {
          const [d] = await deliveries(lab, sub.id);
          return d?.attempts.length === n ? d : undefined;
        }, { what: `attempt ${n} in the log` });
      const first = await attempted(1);
      expect(first).toMatchObject({ status: 'pending', nextAttemptAt: new Date(t0Ms + 5 * SECOND).toISOString() });

      env.clock.advance(5 * SECOND);
      await received(receiver, 2);
      expect((await attempted(2)).nextAttemptAt).toBe(new Date(t0Ms + 5 * SECOND + 5 * MINUTE).toISOString());
      env.clock.advance(5 * MINUTE);
      await received(receiver, 3);
      const done = await waitFor(async () => {
        const [d] = await deliveries(lab, sub.id, 'succeeded');
        return d;
      }, { what: 'success on the third attempt' });

      expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId, eventId]);
      expect(receiver.requests.map((r) => Number(r.headers['webhook-timestamp']) - t0)).toEqual([0, 5, 305]);
      expect(done.attempts.map((a: any) => [a.attempt, a.statusCode])).toEqual([[1, 503], [2, 503], [3, 204]]);
      expect(done.attempts[0]).toEqual(expect.objectContaining({ error: 'endpoint answered 503', latencyMs: expect.any(Number) }));
    } finally {
      await receiver.close();
    }
  });

  it('keeps the order of events about one entity for each endpoint, even across a retry', async () => {
    const lab = await gw.organisation('lab', 'Orderly Lab');
    // The first request fails: the later event about the same submission must wait for the retry.
    const receiver = await Receiver.start((n) => (n === 1 ? { status: 503 } : { status: 204 }));
    try {
      await subscribe(lab, receiver.url, ['gov.vantage.intake.submission.*']);
      const id = await submit(lab);
      const moved = await gw.call('PATCH', `/v1/submissions/${id}`, { key: lab.key, body: { plannedReleaseAt: new Date(env.clock.nowMs() + 30 * DAY).toISOString() } });
      expect(moved.status).toBe(200);
      await received(receiver, 1);
      // Time enough for the second event to be fanned out; it is held back behind the failed first one.
      await waitFor(async () => (await env.query(`SELECT count(*)::int AS n FROM notify.deliveries WHERE entity = $1`, [id]))[0].n === 2);
      expect(receiver.requests).toHaveLength(1);
      env.clock.advance(5 * SECOND);
      const all = await received(receiver, 3);
      const types = all.map((r) => JSON.parse(r.body).type);
      expect(types).toEqual([
        'gov.vantage.intake.submission.received.v1',
        'gov.vantage.intake.submission.received.v1',
        'gov.vantage.intake.submission.rescheduled.v1',
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('disables a subscription whose endpoint answers 410 Gone, and tells its owner', async () => {
    const lab = await gw.organisation('lab', 'Gone Lab');
    const receiver = await Receiver.start(() => ({ status: 410 }));
    try {
      const sub = await subscribe(lab, receiver.url);
      await submit(lab);
      await received(receiver, 1);
      const disabled = await waitFor(async () => {
        const items = (await gw.call('GET', '/v1/subscriptions', { key: lab.key })).body.items;
        return items[0]?.state === 'disabled' ? items[0] : undefined;
      }, { what: 'the subscription to be disabled' });
      expect(disabled).toMatchObject({ id: sub.id, disabledReason: 'gone' });
      expect((await deliveries(lab, sub.id, 'failed'))[0].attempts).toEqual([expect.objectContaining({ statusCode: 410 })]);
      const told = await waitFor(async () => (await readEvents<any>(await env.nats(), env.streamName('notify'))).find((e) => e.subject === sub.id), {
        what: 'endpoint.disabled',
      });
      expect(told).toMatchObject({ type: EndpointDisabled.type, audience: `org:${lab.id}`, data: { subscriptionId: sub.id, reason: 'gone' } });
      expect(JSON.stringify(told)).not.toContain('whsec_');

      // Nothing more is sent to it.
      const later = await submit(lab);
      await eventIdOf(later);
      const otherReceiver = await Receiver.start();
      try {
        // A fresh subscriber's delivery of a later event proves the fan-out has moved past it.
        await subscribe(lab, otherReceiver.url);
        await submit(lab);
        await received(otherReceiver, 1);
      } finally {
        await otherReceiver.close();
      }
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('replays every matching event since a time to one subscription, with the original webhook-ids', async () => {
    const lab = await gw.organisation('lab', 'Replaying Lab');
    const receiver = await Receiver.start();
    try {
      const since = env.clock.now().toISOString();
      const sub = await subscribe(lab, receiver.url);
      const ids = [await eventIdOf(await submit(lab)), await eventIdOf(await submit(lab))];
      await received(receiver, 2);
      await waitFor(async () => (await deliveries(lab, sub.id, 'succeeded')).length === 2, { what: 'both delivered' });

      const replay = await gw.call('POST', `/v1/subscriptions/${sub.id}/replay`, { key: lab.key, body: { since } });
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual({ queued: 2 });
      const all = await received(receiver, 4);
      expect(all.slice(2).map((r) => r.headers['webhook-id']).sort()).toEqual([...ids].sort());
      const log = await waitFor(async () => {
        const items = await deliveries(lab, sub.id, 'succeeded');
        return items.length === 4 ? items : undefined;
      }, { what: 'four deliveries in the log' });
      expect(log.filter((d) => d.replay)).toHaveLength(2);

      expect((await gw.call('POST', `/v1/subscriptions/${sub.id}/replay`, { key: lab.key, body: { since: 'yesterday' } })).status).toBe(400);
      const other = await gw.organisation('lab', 'Replaying Stranger');
      expect((await gw.call('POST', `/v1/subscriptions/${sub.id}/replay`, { key: other.key, body: { since } })).status).toBe(404);
      expect((await gw.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: lab.key })).status).toBe(204);
      expect((await gw.call('GET', '/v1/subscriptions', { key: lab.key })).body.items).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('keeps delivering to a healthy endpoint while another hangs: the hanging one holds only its own lane', async () => {
    const lab = await gw.organisation('lab', 'Two Endpoints Lab');
    const hanging = await Receiver.start(() => 'hang');
    const healthy = await Receiver.start();
    try {
      const stuck = await subscribe(lab, hanging.url);
      const fine = await subscribe(lab, healthy.url);
      for (let i = 0; i < 6; i++) await submit(lab);

      await received(healthy, 6);
      await waitFor(async () => (await deliveries(lab, fine.id, 'succeeded')).length === 6, { what: 'six successes at the healthy endpoint' });
      // The hanging endpoint has exactly its lane's worth (4) in flight and the rest waiting; none finished.
      await waitFor(() => hanging.requests.length === 4, { what: 'a full lane at the hanging endpoint' });
      expect(hanging.inFlight).toBe(4);
      const waiting = await deliveries(lab, stuck.id);
      expect(waiting).toHaveLength(6);
      expect(waiting.every((d) => d.status === 'pending' && d.attempts.length === 0)).toBe(true);
      expect(hanging.requests.length).toBe(4);
    } finally {
      await healthy.close();
      await hanging.close();
    }
  });
});
