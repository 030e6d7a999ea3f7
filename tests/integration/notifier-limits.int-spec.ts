// The notifier's bounds, through the gateway: one replay looks at a bounded number of events and says how to go on,
// and an organisation holds a bounded number of subscriptions.
import { NOTIFIER } from '@vantage/apps/notifier';
import { startNotifier } from '../../apps/notifier/test/notifier-fixture';
import { SubmissionReceived } from '@vantage/contracts';
import { Receiver, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(90_000);

describe('notifier limits', () => {
  let env: TestEnvironment;
  let gw: Gateway;

  beforeAll(async () => {
    // Near the real time: deliveries are signed with the clock's time.
    env = await TestEnvironment.create(new Date().toISOString());
    await env.migrate(NOTIFIER);
    gw = await Gateway.start(env);
    await startNotifier(env, { WEBHOOK_POLL_MS: 50, REPLAY_MAX_EVENTS: 3, MAX_SUBSCRIPTIONS_PER_ORG: 2 });
  });
  afterAll(() => env?.dispose());

  type Org = { id: string; key: string };
  const deliveries = async (who: Org, subscriptionId: string): Promise<any[]> =>
    (await gw.call('GET', `/v1/subscriptions/${subscriptionId}/deliveries`, { key: who.key })).body.items;

  it('looks at a bounded number of events per replay and answers a cursor that goes on, each event once', async () => {
    const lab = await gw.organisation('lab', 'Replaying Lab');
    const receiver = await Receiver.start();
    try {
      const created = await gw.call('POST', '/v1/subscriptions', { key: lab.key, body: { url: receiver.url, types: [SubmissionReceived.type] } });
      expect(created.status).toBe(201);
      const sub = created.body;
      env.clock.advance(1000);
      const since = env.clock.now().toISOString();
      for (let i = 0; i < 5; i++) await gw.submit(lab.key, env.clock.now());
      await waitFor(async () => (await deliveries(lab, sub.id)).filter((d) => d.status === 'succeeded').length === 5, { what: 'five deliveries' });

      const first = await gw.call('POST', `/v1/subscriptions/${sub.id}/replay`, { key: lab.key, body: { since } });
      expect(first.status).toBe(202);
      expect(first.body).toEqual({ queued: 3, nextCursor: expect.any(String) });
      const rest = await gw.call('POST', `/v1/subscriptions/${sub.id}/replay`, { key: lab.key, body: { since, cursor: first.body.nextCursor } });
      expect(rest.status).toBe(202);
      expect(rest.body).toEqual({ queued: 2 });

      const log = await deliveries(lab, sub.id);
      const original = log.filter((d) => !d.replay).map((d) => d.eventId).sort();
      const replayed = log.filter((d) => d.replay).map((d) => d.eventId).sort();
      expect(replayed).toEqual(original);

      const bad = await gw.call('POST', `/v1/subscriptions/${sub.id}/replay`, { key: lab.key, body: { since, cursor: 'not-a-cursor' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a subscription beyond the organisation\'s limit with 422, and makes room when one is deleted', async () => {
    const agency = await gw.organisation('agency', 'Busy Agency');
    const other = await gw.organisation('agency', 'Other Agency');
    const subscribe = (who: Org, n: number, headers: Record<string, string> = {}) =>
      gw.call('POST', '/v1/subscriptions', { key: who.key, body: { url: `http://127.0.0.1:9/hook-${n}`, types: ['gov.vantage.window.*'] }, headers });

    const first = await subscribe(agency, 1, { 'idempotency-key': 'limit-1' });
    expect(first.status).toBe(201);
    expect((await subscribe(agency, 2)).status).toBe(201);
    const third = await subscribe(agency, 3);
    expect(third.status).toBe(422);
    expect(third.headers.get('content-type')).toContain('application/problem+json');
    expect(third.body).toMatchObject({ status: 422, code: 'subscription_limit_reached' });
    expect(third.body.detail).toContain('MAX_SUBSCRIPTIONS_PER_ORG');
    expect((await gw.call('GET', '/v1/subscriptions', { key: agency.key })).body.items).toHaveLength(2);
    // A repeat of a creation already made is its answer, not a new subscription: the limit does not refuse it.
    expect(await subscribe(agency, 1, { 'idempotency-key': 'limit-1' })).toMatchObject({ status: 201, body: first.body });
    // The limit is per organisation.
    expect((await subscribe(other, 1)).status).toBe(201);

    expect((await gw.call('DELETE', `/v1/subscriptions/${first.body.id}`, { key: agency.key })).status).toBe(204);
    expect((await subscribe(agency, 3)).status).toBe(201);
  });

  it('takes the last place once when two creations race for it', async () => {
    const agency = await gw.organisation('agency', 'Racing Agency');
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) => gw.call('POST', '/v1/subscriptions', { key: agency.key, body: { url: `http://127.0.0.1:9/race-${n}`, types: ['gov.vantage.window.*'] } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 422, 422]);
    expect((await gw.call('GET', '/v1/subscriptions', { key: agency.key })).body.items).toHaveLength(2);
  });
});
