// The benchmark runner's lifecycle against the lab simulator, gateway, scheduler and runner in one process:
// a runner stopped mid-run and started again finishes the run without asking an answered trial twice, a
// window's close stops every model call at once, and progress goes out on the bench stream as the run goes.
import { generateTasks, LabSimulator, LabSimulatorOptions, mulberry32 } from '@vantage/apps/lab-simulator';
import { BenchRunCompleted, BenchRunProgress, BenchRunV1 } from '@vantage/contracts';
import { readEvents, RunningService, ServiceProcess, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, LOOPBACK_LABS } from '../../apps/intake/test/gateway-fixture';
import { migrateSchedulerAndRunner, startRunner as startRunnerIn, startScheduler, submitSimulatedModel } from './benchmark-fixture';

jest.setTimeout(120_000);

const LAB_KEY = 'sk-bench-lifecycle-key-91c4';
const MODEL = 'acme-lifecycle-1';
const EPOCHS = 2;
const ITEMS = 100;
const RUNNER_OVERRIDES = {
  ...LOOPBACK_LABS,
  RUN_POLL_MS: 50, MODEL_RETRY_BASE_MS: 5, MODEL_RETRY_MAX_MS: 40, MODEL_MAX_ATTEMPTS: 3, RUN_PROGRESS_INTERVAL_MS: 100,
  MODEL_TIMEOUT_MS: 5000, MODEL_INITIAL_CONCURRENCY: 8, MODEL_MAX_CONCURRENCY: 16,
};

interface RunRow { id: string; state: string; total: number; correct: number; wrong: number; errored: number; interrupted: number }

describe('benchmark runner lifecycle', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let scheduler: RunningService;
  let runner: RunningService;
  const sims: LabSimulator[] = [];
  let lab: { id: string; key: string };
  let agency: { id: string; key: string };
  const tasks = generateTasks(ITEMS, mulberry32(20261127));

  const startRunner = () => startRunnerIn(env, RUNNER_OVERRIDES);

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await migrateSchedulerAndRunner(env);
    gw = await Gateway.start(env, LOOPBACK_LABS);
    scheduler = await startScheduler(env);
    runner = await startRunner();
    lab = await gw.organisation('lab', 'Lifecycle AI');
    agency = await gw.organisation('agency', 'Lifecycle Agency', 'secret');
    const created = await gw.call('POST', '/v1/suites', {
      key: gw.operatorKey,
      body: { name: 'lifecycle', version: '1', classification: 'secret', scorer: 'exact', epochs: EPOCHS, items: tasks.map((t, i) => ({ id: `t${i}`, ...t })) },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await runner?.close();
    await scheduler?.close();
    for (const s of sims) await s.close();
    await gw?.close();
    await env?.dispose();
  });

  async function modelUnderTest(behaviour: Partial<LabSimulatorOptions>): Promise<{ id: string; sim: LabSimulator }> {
    const model = await submitSimulatedModel(gw, env, {
      labKey: lab.key, model: MODEL, apiKey: LAB_KEY, agencies: [agency.id], simulator: { seed: 7, skill: 0.8, ...behaviour },
    });
    sims.push(model.sim);
    return model;
  }

  const runOf = async (submissionId: string) =>
    (await env.query<RunRow>('SELECT id, state, total, correct, wrong, errored, interrupted FROM bench.runs WHERE submission_id = $1', [submissionId]))[0];

  const runEnded = (submissionId: string, state: string) =>
    waitFor(async () => {
      const run = await runOf(submissionId);
      return run?.state === state ? run : undefined;
    }, { timeoutMs: 60_000, intervalMs: 20, what: `the run ${state}` });

  it('finishes a run after the runner is stopped mid-run and started again, asking no answered trial twice', async () => {
    const { id, sim } = await modelUnderTest({ latencyMs: 20 });
    await sim.waitForRequests(40);
    await runner.close();
    const atStop = await runOf(id);
    expect(atStop.state).toBe('running');
    const doneAtStop = atStop.correct + atStop.wrong + atStop.errored;
    expect(doneAtStop).toBeGreaterThan(0);
    expect(doneAtStop).toBeLessThan(ITEMS * EPOCHS);
    const askedAtStop = sim.requestLog.length;

    runner = await startRunner();
    const run = await runEnded(id, 'completed');
    expect(run.total).toBe(ITEMS * EPOCHS);
    expect(run.correct + run.wrong + run.errored).toBe(ITEMS * EPOCHS);
    // The new instance did the rest: it asked the lab after the restart.
    expect(sim.requestLog.length).toBeGreaterThan(askedAtStop);

    // Each trial answered once: a prompt is answered ('ok') at most once per epoch per occurrence in the suite.
    const occurrences = new Map<string, number>();
    for (const t of tasks) occurrences.set(t.input, (occurrences.get(t.input) ?? 0) + 1);
    const answered = new Map<string, number>();
    for (const r of sim.requestLog) if (r.outcome === 'ok') answered.set(r.prompt, (answered.get(r.prompt) ?? 0) + 1);
    const twice = [...answered].filter(([prompt, n]) => n > EPOCHS * (occurrences.get(prompt) ?? 0));
    expect(twice).toEqual([]);
    expect(sim.requestLog.filter((r) => r.outcome === 'ok')).toHaveLength(ITEMS * EPOCHS);
  });

  it('publishes bench.run.progress with counts as the run goes and bench.run.completed at the end', async () => {
    const [run] = await env.query<{ id: string }>("SELECT id FROM bench.runs WHERE state = 'completed'");
    const events = await waitFor(async () => {
      const all = (await readEvents<BenchRunV1>(await env.nats(), env.streamName('bench'))).filter((e) => e.data.runId === run.id);
      return all.some((e) => e.type === BenchRunCompleted.type) ? all : undefined;
    }, { timeoutMs: 15_000, what: 'bench.run.completed on the bench stream' });
    const progress = events.filter((e) => e.type === BenchRunProgress.type);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.data).toMatchObject({ state: 'running', total: ITEMS * EPOCHS });
      const done = p.data.correct + p.data.wrong + p.data.errored;
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThanOrEqual(ITEMS * EPOCHS);
    }
    // Counts only grow.
    const done = progress.map((p) => p.data.correct + p.data.wrong + p.data.errored);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    const completed = events.filter((e) => e.type === BenchRunCompleted.type);
    expect(completed).toHaveLength(1);
    expect(completed[0].data).toMatchObject({ state: 'completed', total: ITEMS * EPOCHS });
    expect(completed[0].data.correct + completed[0].data.wrong + completed[0].data.errored).toBe(ITEMS * EPOCHS);
    // Completed comes after every progress event.
    expect(events.indexOf(completed[0])).toBeGreaterThan(events.indexOf(progress[progress.length - 1]));
  });

  it('makes no model call after the window closes', async () => {
    const { id, sim } = await modelUnderTest({ latencyMs: 200 });
    await sim.waitForRequests(10);
    const released = await gw.call('POST', `/v1/submissions/${id}/release`, { key: lab.key, body: {} });
    expect(released.status).toBe(200);
    // The close is heard through the scheduler's window.closed. Its handler calls abortSubmission (every
    // in-flight call and slot wait of the run is cancelled) before its UPDATE to 'aborted' commits, so the
    // moment this test first sees 'aborted' is an upper bound on when the close was handled. The event's own
    // time and finished_at come from the manual clock and cannot be compared with the simulator's wall-clock
    // arrivals; this wall-clock bound can. Any request arriving after it is a call made after the close.
    const run = await runEnded(id, 'aborted');
    const closeHandledBy = Date.now();
    expect(run.correct + run.wrong + run.errored).toBeLessThan(ITEMS * EPOCHS);
    // Let whatever the runner still had under way play out: the calls it cancelled leave the simulator, and
    // a poll of the runner (50 ms) would have picked the run up again if it were still claimable.
    await sim.idle();
    await waitFor(async () => (await env.query("SELECT 1 FROM bench.runs WHERE id = $1 AND lease_owner IS NULL", [run.id])).length > 0, { what: 'the lease released' });
    await waitFor(async () => (await readEvents(await env.nats(), env.streamName('bench'))).some((e) => e.subject === run.id && e.type.endsWith('.run.aborted.v1')), {
      what: 'bench.run.aborted',
    });
    await sim.idle();
    const late = sim.requestLog.filter((r) => Date.parse(r.at) > closeHandledBy);
    expect(late).toEqual([]);
    expect(sim.inFlight()).toBe(0);
  });

  it('after kill -9 mid-run, records the trials that were out as interrupted and asks no trial twice', async () => {
    // The runner as its own process, so that it can die without a chance to write anything.
    await runner.close();
    const child = await ServiceProcess.start(env, 'benchmark-runner', { ...RUNNER_OVERRIDES, RUN_LEASE_MS: 1000 });
    let id: string;
    let sim: LabSimulator;
    let outAtKill: number;
    try {
      ({ id, sim } = await modelUnderTest({ latencyMs: 100 }));
      await sim.waitForRequests(60);
      outAtKill = sim.inFlight();
      await child.kill();
    } finally {
      await child.kill();
    }
    expect(outAtKill).toBeGreaterThan(0);
    const atKill = await runOf(id);
    expect(atKill.state).toBe('running');

    // Another runner takes the run over once the dead one's lease lapses.
    runner = await startRunner();
    const run = await runEnded(id, 'completed');
    expect(run.correct + run.wrong + run.errored).toBe(ITEMS * EPOCHS);
    // The calls that were out when it died may have been answered: recorded errored, not asked again.
    expect(run.interrupted).toBeGreaterThanOrEqual(outAtKill);
    expect(run.errored).toBeGreaterThanOrEqual(run.interrupted);
    const occurrences = new Map<string, number>();
    for (const t of tasks) occurrences.set(t.input, (occurrences.get(t.input) ?? 0) + 1);
    const asked = new Map<string, number>();
    for (const r of sim.requestLog) asked.set(r.prompt, (asked.get(r.prompt) ?? 0) + 1);
    const twice = [...asked].filter(([prompt, n]) => n > EPOCHS * (occurrences.get(prompt) ?? 0));
    expect(twice).toEqual([]);
    expect(sim.requestLog.length).toBeLessThanOrEqual(ITEMS * EPOCHS);
    const view = (await gw.call('GET', `/v1/submissions/${id}/runs`, { key: agency.key })).body.items[0];
    expect(view).toMatchObject({ state: 'completed', interrupted: run.interrupted });
  });
});
