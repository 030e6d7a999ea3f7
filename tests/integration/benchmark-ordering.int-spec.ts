// The runner's decision does not depend on the order in which two streams reach it: window.opened (the
// scheduler's stream) handled before submission.received (intake's stream) still sees the declared compute,
// because the runner then asks intake for it over request-reply.
import { Audience, createEvent, WindowOpened } from '@vantage/contracts';
import { RunningService, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, submissionBody } from '../../apps/intake/test/gateway-fixture';
import { migrateSchedulerAndRunner, startRunner } from './benchmark-fixture';

jest.setTimeout(60_000);

describe('benchmark runner event order', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let runner: RunningService;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await migrateSchedulerAndRunner(env);
    // Intake's outbox is never published: the runner cannot see submission.received at all.
    gw = await Gateway.start(env, { OUTBOX_RELAY_ENABLED: false });
    runner = await startRunner(env, { RUN_POLL_MS: 50 });
  });
  afterAll(async () => {
    await runner?.close();
    await gw?.close();
    await env?.dispose();
  });

  it('decides on the declared compute when window.opened arrives before submission.received', async () => {
    const lab = await gw.organisation('lab', 'Order AI');
    const created = await gw.call('POST', '/v1/submissions', {
      key: lab.key,
      body: submissionBody({ plannedReleaseAt: '2026-12-20T00:00:00Z', earliestAccessAt: undefined, declaredTrainingFlop: 3.1e26 }),
    });
    expect(created.status).toBe(201);
    const submissionId = created.body.id as string;
    expect(await env.query('SELECT 1 FROM bench.submissions')).toEqual([]);

    // The scheduler's event, as it would publish it; no suite is active, so the decision rests on compute alone.
    const opened = createEvent(WindowOpened, {
      source: 'window-scheduler',
      subject: submissionId,
      time: env.clock.now(),
      audience: Audience.operatorsAnd([lab.id]),
      data: { submissionId, labId: lab.id, opensAt: env.clock.now().toISOString(), closesAt: '2026-12-20T00:00:00.000Z' },
    });
    const js = (await env.nats()).jetstream();
    await js.publish(WindowOpened.subject(env.prefix), JSON.stringify(opened), { msgID: opened.id });

    const decision = await waitFor(async () => {
      const c = await gw.call('GET', `/v1/submissions/${submissionId}/classification`, { key: gw.operatorKey });
      return c.status === 200 ? c.body : undefined;
    }, { timeoutMs: 30_000, what: 'the frontier decision' });
    expect(decision).toMatchObject({ frontier: true });
    expect(decision.basis.join(' ')).toMatch(/^compute: declared 3\.10e\+26 FLOP/);
    // The owner came from intake too: the lab may read its decision.
    expect((await gw.call('GET', `/v1/submissions/${submissionId}/classification`, { key: lab.key })).status).toBe(200);
  });
});
