// A suite with a canary and several epochs, run against two simulated models, one trained on the canary and
// one not: each item is asked once per epoch, the interval is a bootstrap across items, and the run reports
// whether the model knew the canary without ever showing the canary.
import { generateTasks, LabSimulator, mulberry32 } from '@vantage/apps/lab-simulator';
import { BenchRunCompleted, BenchRunV1 } from '@vantage/contracts';
import { readEvents, readStream, RunningService, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, LOOPBACK_LABS } from '../../apps/intake/test/gateway-fixture';
import { migrateSchedulerAndRunner, startRunner, startScheduler, submitSimulatedModel } from './benchmark-fixture';

jest.setTimeout(120_000);

const LAB_KEY = 'sk-bench-canary-key-2b7d';
const MODEL = 'acme-canary-1';
const ITEMS = 80;
const EPOCHS = 3;
const CANARY = 'vantage benchmark canary 6c1d2f9e-8a7b-4c3d-9e0f-1a2b3c4d5e6f';
const HIDDEN = CANARY.slice(Math.ceil(CANARY.length / 2));

describe('benchmark canaries and epochs', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let scheduler: RunningService;
  let runner: RunningService;
  const sims: LabSimulator[] = [];
  let lab: { id: string; key: string };
  let agency: { id: string; key: string };
  const tasks = generateTasks(ITEMS, mulberry32(424242));

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await migrateSchedulerAndRunner(env);
    gw = await Gateway.start(env, LOOPBACK_LABS);
    scheduler = await startScheduler(env);
    runner = await startRunner(env, { ...LOOPBACK_LABS, RUN_POLL_MS: 50, MODEL_RETRY_BASE_MS: 5, MODEL_RETRY_MAX_MS: 40, MODEL_TIMEOUT_MS: 5000 });
    lab = await gw.organisation('lab', 'Canary AI');
    agency = await gw.organisation('agency', 'Canary Agency', 'secret');
    const created = await gw.call('POST', '/v1/suites', {
      key: gw.operatorKey,
      body: {
        name: 'canaried', version: '1', classification: 'secret', scorer: 'exact', threshold: 0.5, epochs: EPOCHS, canary: CANARY,
        items: tasks.map((t, i) => ({ id: `c${i}`, ...t })),
      },
    });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain(HIDDEN);
  });
  afterAll(async () => {
    await runner?.close();
    await scheduler?.close();
    for (const s of sims) await s.close();
    await gw?.close();
    await env?.dispose();
  });

  async function runFor(knownCanaries: string[]) {
    const model = await submitSimulatedModel(gw, env, {
      labKey: lab.key, model: MODEL, apiKey: LAB_KEY, agencies: [agency.id], simulator: { latencyMs: 0, seed: 3, skill: 0.6, knownCanaries },
    });
    sims.push(model.sim);
    const run = await waitFor(async () => {
      const runs = await gw.call('GET', `/v1/submissions/${model.id}/runs`, { key: agency.key });
      return runs.body?.items?.[0]?.state === 'completed' ? runs.body.items[0] : undefined;
    }, { timeoutMs: 60_000, what: 'the run to complete' });
    return { ...model, run };
  }

  it('asks every item once per epoch and scores with a bootstrap interval across items that holds the skill', async () => {
    const { sim, run } = await runFor([]);
    expect(run).toMatchObject({ state: 'completed', total: ITEMS * EPOCHS, errored: 0, interrupted: 0, interval: 'bootstrap' });
    expect(run.suite).toMatchObject({ name: 'canaried', epochs: EPOCHS });
    expect(run.correct + run.wrong).toBe(ITEMS * EPOCHS);
    expect(run.lower).toBeLessThanOrEqual(0.6);
    expect(run.upper).toBeGreaterThanOrEqual(0.6);
    expect(run.lower).toBeLessThan(run.accuracy);
    // Every task prompt EPOCHS times per occurrence in the suite, and one canary question.
    const occurrences = new Map<string, number>();
    for (const t of tasks) occurrences.set(t.input, (occurrences.get(t.input) ?? 0) + 1);
    const asked = new Map<string, number>();
    for (const r of sim.requestLog) asked.set(r.prompt, (asked.get(r.prompt) ?? 0) + 1);
    for (const [prompt, n] of occurrences) expect(asked.get(prompt)).toBe(n * EPOCHS);
    expect(sim.requestLog).toHaveLength(ITEMS * EPOCHS + 1);
    // Asked last, after every trial.
    expect(occurrences.has(sim.requestLog[sim.requestLog.length - 1].prompt)).toBe(false);
    // This model was not trained on the canary.
    expect(run.canary).toMatchObject({ known: false, errored: false });
    expect(run.canary.matched).toBeLessThan(1);
  });

  it('reports a model that knows the canary, in the run and in run.completed, without the canary itself', async () => {
    const { run } = await runFor([CANARY]);
    expect(run.canary).toEqual({ known: true, matched: 1, errored: false });
    const completed = await waitFor(async () => {
      const events = await readEvents<BenchRunV1>(await env.nats(), env.streamName('bench'));
      return events.find((e) => e.type === BenchRunCompleted.type && e.data.runId === run.runId);
    }, { what: 'bench.run.completed' });
    expect(completed.data).toMatchObject({ canary: { known: true, matched: 1, errored: false }, interval: 'bootstrap' });

    // Nowhere: not in an answer, an event, or a log line.
    const answers = [
      await gw.call('GET', '/v1/suites', { key: gw.operatorKey }),
      await gw.call('GET', `/v1/submissions/${run.submissionId}/runs`, { key: gw.operatorKey }),
      await gw.call('GET', `/v1/submissions/${run.submissionId}/classification`, { key: gw.operatorKey }),
    ];
    const events = await readStream(await env.nats(), env.streamName('bench'));
    const everything = [...answers.map((a) => a.text), ...events.map((e) => JSON.stringify(e)), runner.logs.text()].join('\n');
    expect(everything).not.toContain(HIDDEN);
    expect(everything).not.toContain(CANARY.slice(0, Math.ceil(CANARY.length / 2)));
  });

  it('decides with the bootstrap lower bound and says so in the basis', async () => {
    const [sub] = await env.query<{ submission_id: string }>("SELECT submission_id FROM bench.runs WHERE state = 'completed' LIMIT 1");
    const decision = await waitFor(async () => {
      const c = await gw.call('GET', `/v1/submissions/${sub.submission_id}/classification`, { key: gw.operatorKey });
      return c.status === 200 ? c.body : undefined;
    }, { what: 'the decision' });
    expect(decision.policyVersion).toBe('frontier-2026-11.2');
    const [run] = (await gw.call('GET', `/v1/submissions/${sub.submission_id}/runs`, { key: gw.operatorKey })).body.items;
    expect(decision.frontier).toBe(run.lower >= 0.5);
    if (decision.frontier) expect(decision.basis.join(' ')).toContain('(bootstrap)');
  });
});
