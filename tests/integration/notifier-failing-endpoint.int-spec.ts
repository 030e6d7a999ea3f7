// An endpoint that fails for five days is disabled and its owner told; one success resets that count. Driven by the
// controllable clock through the real retry schedule, event after event, against real HTTP receivers on loopback.
import { NOTIFIER } from '@vantage/apps/notifier';
import { startNotifier } from '../../apps/notifier/test/notifier-fixture';
import { EndpointDisabled } from '@vantage/contracts';
import { readEvents, Receiver, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(120_000);

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe('an endpoint that keeps failing', () => {
  let env: TestEnvironment;
  let gw: Gateway;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await env.migrate(NOTIFIER);
    gw = await Gateway.start(env);
    await startNotifier(env, { WEBHOOK_POLL_MS: 50 });
  });
  afterAll(() => env?.dispose());

  it('is disabled after five days of failed attempts, with endpoint.disabled to its owner, while one that succeeded in between is not', async () => {
    const lab = await gw.organisation('lab', 'Failing Lab');
    const failing = await Receiver.start(() => ({ status: 500 }));
    // The same failures, but its twelfth request (the second event's fourth attempt) succeeds.
    const recovering = await Receiver.start((n) => ({ status: n === 12 ? 204 : 500 }));
    try {
      const subscribe = async (url: string) => {
        const created = await gw.call('POST', '/v1/subscriptions', { key: lab.key, body: { url, types: ['gov.vantage.intake.submission.*'] } });
        expect(created.status).toBe(201);
        return created.body.id as string;
      };
      const failingSub = await subscribe(failing.url);
      const recoveringSub = await subscribe(recovering.url);
      const mine = [failingSub, recoveringSub];
      const stateOf = async (id: string) => (await env.query<{ state: string }>('SELECT state FROM notify.subscriptions WHERE id = $1', [id]))[0].state;

      // A submission whose event has reached both endpoints' queues.
      const submit = async () => {
        const submissionId = await gw.submit(lab.key, env.clock.now());
        await waitFor(
          async () =>
            (await env.query<{ n: number }>('SELECT count(*)::int AS n FROM notify.deliveries WHERE entity = $1 AND subscription_id = ANY($2::uuid[])', [submissionId, mine]))[0].n ===
            (await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM notify.subscriptions WHERE id = ANY($1::uuid[]) AND state = 'active'`, [mine]))[0].n,
          { what: 'the event fanned out to the active endpoints' },
        );
        return submissionId;
      };
      // Every attempt due now has been made and recorded.
      const attempted = () =>
        waitFor(
          async () =>
            (
              await env.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM notify.deliveries WHERE subscription_id = ANY($1::uuid[]) AND status = 'pending' AND next_attempt_at <= $2`,
                [mine, env.clock.now()],
              )
            )[0].n === 0,
          { what: 'the attempts due now' },
        );

      const t0 = env.clock.nowMs();
      await submit();
      // Event after event, each through its whole schedule (8 attempts over 27 h 35 min), until the failing endpoint is
      // disabled: the clock jumps to each next attempt the notifier has scheduled.
      for (let step = 0; step < 100 && (await stateOf(failingSub)) === 'active'; step++) {
        await attempted();
        const [{ next }] = await env.query<{ next: Date | null }>(
          `SELECT min(next_attempt_at) AS next FROM notify.deliveries WHERE subscription_id = ANY($1::uuid[]) AND status = 'pending'`,
          [mine],
        );
        if (next) env.clock.set(next);
        else await submit();
      }
      await attempted();

      // Disabled at the first failed attempt five days or more after its first failure, never earlier.
      const [disabled] = await env.query<{ state: string; disabled_reason: string; disabled_at: Date }>(
        'SELECT state, disabled_reason, disabled_at FROM notify.subscriptions WHERE id = $1',
        [failingSub],
      );
      expect(disabled).toMatchObject({ state: 'disabled', disabled_reason: 'failing' });
      expect(new Date(disabled.disabled_at).getTime()).toBeGreaterThanOrEqual(t0 + 5 * DAY);
      expect(new Date(disabled.disabled_at).getTime()).toBeLessThan(t0 + 6 * DAY);
      const listed = (await gw.call('GET', '/v1/subscriptions', { key: lab.key })).body.items;
      expect(listed.find((s: any) => s.id === failingSub)).toMatchObject({ state: 'disabled', disabledReason: 'failing' });
      // Every attempt of the last days failed; none of its deliveries is left waiting.
      expect(failing.requests.length).toBeGreaterThan(30);
      expect(await env.query(`SELECT 1 FROM notify.deliveries WHERE subscription_id = $1 AND status = 'pending'`, [failingSub])).toEqual([]);

      // Its owner is told, and no one else.
      const told = await waitFor(
        async () => (await readEvents<any>(await env.nats(), env.streamName('notify'))).find((e) => e.type === EndpointDisabled.type && e.subject === failingSub),
        { what: 'endpoint.disabled on the bus' },
      );
      expect(told).toMatchObject({ audience: `org:${lab.id}`, data: { subscriptionId: failingSub, orgId: lab.id, url: failing.url, reason: 'failing' } });

      // The endpoint that succeeded on day two has failed for less than five days since: still active.
      expect(recovering.requests.length).toBeGreaterThanOrEqual(12);
      expect(await stateOf(recoveringSub)).toBe('active');
      expect((await env.query(`SELECT 1 FROM notify.delivery_attempts a JOIN notify.deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = $1 AND a.status_code = 204`, [recoveringSub])).length).toBe(1);

      // Nothing more is attempted at the disabled endpoint: a later event reaches only the other one, however long.
      const sentBefore = failing.requests.length;
      const later = await submit();
      await waitFor(() => recovering.requests.some((r) => JSON.parse(r.body).subject === later), { what: 'the later event at the active endpoint' });
      env.clock.advance(DAY);
      await attempted();
      expect(failing.requests.length).toBe(sentBefore);
      expect(await env.query('SELECT 1 FROM notify.deliveries WHERE subscription_id = $1 AND entity = $2', [failingSub, later])).toEqual([]);
    } finally {
      await failing.close();
      await recovering.close();
    }
  });
});
