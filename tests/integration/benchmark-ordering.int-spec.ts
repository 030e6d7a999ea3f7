// The runner's decision does not depend on the order in which two streams reach it: window.opened (the
// scheduler's stream) handled before submission.received (intake's stream) still sees the declared compute,
// because the runner then asks intake for it over request-reply. Nor on the order of a window's events: a grant
// handled after its window's runs started, or after the decision, still brings the agency what it is entitled to.
import { v7 as uuidv7 } from 'uuid';
import {
  Audience, AudienceMember, BenchModelClassified, BenchModelEvidenceRecorded, BenchRunAborted, createEvent, EventDefinition, EventEnvelope,
  GrantIssued, WindowClosed, WindowOpened,
} from '@vantage/contracts';
import { readEvents, RunningService, TestEnvironment, waitFor } from '@vantage/testing';
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

  it("tells an agency granted after the runs ended and the model was decided where each run stands and the decision, once, as far as its clearance goes", async () => {
    const lab = await gw.organisation('lab', 'Late Grant AI');
    const secret = await gw.organisation('agency', 'Late Secret Agency', 'secret');
    const cui = await gw.organisation('agency', 'Late CUI Agency', 'cui');
    const suite = await gw.call('POST', '/v1/suites', {
      key: gw.operatorKey, body: { name: 'late-grant-suite', version: '1', classification: 'secret', scorer: 'exact', threshold: 0.5, items: [{ id: 'q', input: '2 + 2?', target: '4' }] },
    });
    expect(suite.status).toBe(201);
    const created = await gw.call('POST', '/v1/submissions', {
      key: lab.key, body: submissionBody({ plannedReleaseAt: '2026-12-20T00:00:00Z', earliestAccessAt: undefined, declaredTrainingFlop: 1e24 }),
    });
    expect(created.status).toBe(201);
    const submissionId = created.body.id as string;
    const times = { submissionId, labId: lab.id, opensAt: env.clock.now().toISOString(), closesAt: '2026-12-20T00:00:00.000Z' };
    const js = (await env.nats()).jetstream();
    const publish = async <T extends object>(definition: EventDefinition<T>, data: T) => {
      const event = createEvent(definition, { source: 'window-scheduler', subject: submissionId, time: env.clock.now(), audience: Audience.operatorsAnd([lab.id]), data });
      await js.publish(definition.subject(env.prefix), JSON.stringify(event), { msgID: event.id });
    };
    const about = async (): Promise<EventEnvelope<any>[]> =>
      (await readEvents<any>(await env.nats(), env.streamName('bench'))).filter((e) => e.subject === submissionId || e.data.submissionId === submissionId);

    // The window opens and closes before the runner hears of any grant: its run is aborted and the model decided.
    await publish(WindowOpened, times);
    await waitFor(async () => (await about()).some((e) => e.type === 'gov.vantage.bench.run.started.v1'), { what: 'the run to start' });
    await publish(WindowClosed, { ...times, closedAt: env.clock.now().toISOString(), closedReason: 'released' });
    await waitFor(async () => (await about()).some((e) => e.type === BenchModelClassified.type), { what: 'the decision' });

    for (const agency of [secret, cui]) {
      await publish(GrantIssued, { grantId: uuidv7(), submissionId, agencyId: agency.id, labId: lab.id, issuedAt: env.clock.now().toISOString(), expiresAt: times.closesAt });
    }
    const member = (org: { id: string }, clearance: AudienceMember['clearance']): AudienceMember => ({ id: org.id, kind: 'agency', clearance });
    const heardBy = (events: EventEnvelope<any>[], m: AudienceMember) => events.filter((e) => Audience.parse(e.audience).includes(m)).map((e) => e.type).sort();
    // The secret agency: the run as it stands (aborted), the decision, and the secret suite behind it, each once.
    const events = await waitFor(async () => {
      const all = await about();
      return heardBy(all, member(secret, 'secret')).length >= 3 && heardBy(all, member(cui, 'cui')).length >= 1 ? all : undefined;
    }, { what: "the late grantees' events" });
    expect(heardBy(events, member(secret, 'secret'))).toEqual([BenchModelClassified.type, BenchModelEvidenceRecorded.type, BenchRunAborted.type].sort());
    // The CUI agency: the decision without the suite, and no run of a suite above its clearance.
    expect(heardBy(events, member(cui, 'cui'))).toEqual([BenchModelClassified.type]);
    // Operators heard of each once, when it happened (and perhaps of the run's progress before it was aborted).
    expect(heardBy(events, { id: 'op', kind: 'operator' }).filter((t) => t !== 'gov.vantage.bench.run.progress.v1')).toEqual(
      [BenchModelClassified.type, BenchModelEvidenceRecorded.type, BenchRunAborted.type, 'gov.vantage.bench.run.started.v1'].sort(),
    );
    // The granted agencies may now read the decision; the secret one sees the suite, the other not.
    const asSecret = await gw.call('GET', `/v1/submissions/${submissionId}/classification`, { key: secret.key });
    expect(asSecret.body.suites).toEqual([expect.objectContaining({ name: 'late-grant-suite', classification: 'secret' })]);
    const asCui = await gw.call('GET', `/v1/submissions/${submissionId}/classification`, { key: cui.key });
    expect(asCui.status).toBe(200);
    expect(asCui.text).not.toContain('late-grant-suite');
  });
});
