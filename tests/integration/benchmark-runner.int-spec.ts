// The benchmark runner against the lab simulator: suites added through the gateway, a run of every active
// suite when a window opens, scores with 95% intervals, the frontier decision, retries under 429/500, and
// items that never come back out of any API answer or event.
import { generateTasks, LabSimulator, LabSimulatorOptions, mulberry32 } from '@vantage/apps/lab-simulator';
import { readStream, RunningService, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, LOOPBACK_LABS } from '../../apps/intake/test/gateway-fixture';
import { migrateSchedulerAndRunner, startRunner, startScheduler, submitSimulatedModel } from './benchmark-fixture';

jest.setTimeout(120_000);

const LAB_KEY = 'sk-bench-lab-key-5e1a';
const MODEL = 'acme-bench-1';
const MAX_ATTEMPTS = 4;

describe('benchmark runner', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let scheduler: RunningService;
  let runner: RunningService;
  const sims: LabSimulator[] = [];
  let lab: { id: string; key: string };
  let secretAgency: { id: string; key: string };
  let cuiAgency: { id: string; key: string };
  const tasks = generateTasks(200, mulberry32(20261126));
  // A target and an input that could not turn up in an answer by chance.
  const probe = tasks.find((t) => /^[a-z]{6,}$/.test(t.target))!;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await migrateSchedulerAndRunner(env);
    gw = await Gateway.start(env, LOOPBACK_LABS);
    scheduler = await startScheduler(env);
    runner = await startRunner(env, {
      ...LOOPBACK_LABS,
      RUN_POLL_MS: 50, MODEL_RETRY_BASE_MS: 5, MODEL_RETRY_MAX_MS: 40, MODEL_MAX_ATTEMPTS: MAX_ATTEMPTS, RUN_PROGRESS_INTERVAL_MS: 200, MODEL_TIMEOUT_MS: 5000,
    });
    lab = await gw.organisation('lab', 'Acme AI');
    secretAgency = await gw.organisation('agency', 'Secret Agency', 'secret');
    cuiAgency = await gw.organisation('agency', 'CUI Agency', 'cui');
    const created = await gw.call('POST', '/v1/suites', {
      key: gw.operatorKey,
      body: { name: 'arith-reverse-count', version: '1', classification: 'secret', scorer: 'exact', threshold: 0.7, items: tasks.map((t, i) => ({ id: `t${i}`, ...t })) },
    });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain(probe.target);
  });
  afterAll(async () => {
    await runner?.close();
    await scheduler?.close();
    for (const s of sims) await s.close();
    await env?.dispose();
  });

  async function modelUnderTest(behaviour: Partial<LabSimulatorOptions>): Promise<{ id: string; sim: LabSimulator }> {
    const model = await submitSimulatedModel(gw, env, {
      labKey: lab.key, model: MODEL, apiKey: LAB_KEY, agencies: [secretAgency.id, cuiAgency.id],
      simulator: { latencyMs: 0, seed: 11, ...behaviour },
    });
    sims.push(model.sim);
    return model;
  }

  const decided = (id: string) =>
    waitFor(async () => {
      const c = await gw.call('GET', `/v1/submissions/${id}/classification`, { key: gw.operatorKey });
      return c.status === 200 ? c.body : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100, what: 'the frontier decision' }).catch(async (e) => {
      process.stderr.write(JSON.stringify(await env.query('SELECT state, total, correct, wrong, errored FROM bench.runs')) + runner.logs.text().slice(-4000));
      throw e;
    });

  it('scores a skilled and a weak model within their 95% intervals and decides by the lower bound', async () => {
    const strong = await modelUnderTest({ skill: 0.9 });
    const weak = await modelUnderTest({ skill: 0.2 });
    const [strongDecision, weakDecision] = [await decided(strong.id), await decided(weak.id)];
    for (const [m, skill] of [[strong, 0.9], [weak, 0.2]] as const) {
      const runs = await gw.call('GET', `/v1/submissions/${m.id}/runs`, { key: gw.operatorKey });
      expect(runs.status).toBe(200);
      const [run] = runs.body.items;
      expect(run).toMatchObject({ state: 'completed', total: 200, errored: 0 });
      expect(run.correct + run.wrong).toBe(200);
      expect(run.lower).toBeLessThanOrEqual(skill);
      expect(run.upper).toBeGreaterThanOrEqual(skill);
    }
    expect(strongDecision).toMatchObject({ frontier: true, policyVersion: expect.any(String) });
    expect(strongDecision.basis.join(' ')).toContain('arith-reverse-count');
    expect(strongDecision.suites).toEqual([expect.objectContaining({ name: 'arith-reverse-count', version: '1', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(weakDecision).toMatchObject({ frontier: false, basis: [] });
    // The lab owner and a granted agency may read the decision too.
    expect((await gw.call('GET', `/v1/submissions/${strong.id}/classification`, { key: lab.key })).status).toBe(200);
    expect((await gw.call('GET', `/v1/submissions/${strong.id}/classification`, { key: secretAgency.key })).status).toBe(200);
  });

  it('completes under 30% 429s and 5% 500s with every trial scored or errored, none asked more than the cap', async () => {
    const flaky = await modelUnderTest({ skill: 1, rate429: 0.3, rate500: 0.05, retryAfterSeconds: 0 });
    await decided(flaky.id);
    const [run] = (await gw.call('GET', `/v1/submissions/${flaky.id}/runs`, { key: gw.operatorKey })).body.items;
    expect(run.state).toBe('completed');
    expect(run.correct + run.wrong + run.errored).toBe(200);
    expect(run.wrong).toBe(0);
    const perPrompt = new Map<string, number>();
    for (const r of flaky.sim.requestLog) perPrompt.set(r.prompt, (perPrompt.get(r.prompt) ?? 0) + 1);
    // A prompt that occurs k times in the suite may be asked up to k × the cap.
    const occurrences = new Map<string, number>();
    for (const t of tasks) occurrences.set(t.input, (occurrences.get(t.input) ?? 0) + 1);
    for (const [prompt, asked] of perPrompt) expect(asked).toBeLessThanOrEqual(MAX_ATTEMPTS * (occurrences.get(prompt) ?? 0));
    expect(flaky.sim.requestLog.some((r) => r.outcome === '429')).toBe(true);
    // Answered once: no trial that got an answer was asked again.
    const answered = flaky.sim.requestLog.filter((r) => r.outcome === 'ok');
    expect(answered).toHaveLength(run.correct + run.wrong);
    // Every distinct prompt in the generated suite (duplicates aside) was asked.
    expect(perPrompt.size).toBe(new Set(tasks.map((t) => t.input)).size);
  });

  it('never returns or publishes an item', async () => {
    const answers = [
      await gw.call('GET', '/v1/suites', { key: gw.operatorKey }),
      await gw.call('GET', '/v1/suites', { key: secretAgency.key }),
    ];
    const subs = await env.query<{ submission_id: string }>('SELECT submission_id FROM bench.runs');
    for (const s of subs) {
      answers.push(await gw.call('GET', `/v1/submissions/${s.submission_id}/runs`, { key: gw.operatorKey }));
      answers.push(await gw.call('GET', `/v1/submissions/${s.submission_id}/classification`, { key: gw.operatorKey }));
    }
    expect(answers[0].body.items).toEqual([expect.objectContaining({ name: 'arith-reverse-count', itemCount: 200 })]);
    expect(answers[0].body.items[0]).not.toHaveProperty('items');
    const events = await readStream(await env.nats(), env.streamName('bench'));
    expect(events.length).toBeGreaterThan(0);
    const everything = [...answers.map((a) => a.text), ...events.map((e) => JSON.stringify(e))].join('\n');
    expect(everything).not.toContain(probe.target);
    expect(everything).not.toContain(probe.input);
    const stored = await env.query<{ sealed: string }>('SELECT sealed FROM bench.suite_chunks');
    expect(stored.length).toBeGreaterThan(0);
    for (const chunk of stored) expect(chunk.sealed).not.toContain(probe.target);
    expect(runner.logs.text()).not.toContain(probe.target);
  });

  it('hides a suite and its runs from an agency below its classification', async () => {
    const [sub] = await env.query<{ submission_id: string }>('SELECT submission_id FROM bench.runs LIMIT 1');
    const low = await gw.call('GET', `/v1/submissions/${sub.submission_id}/runs`, { key: cuiAgency.key });
    expect(low.status).toBe(200);
    expect(low.body.items).toEqual([]);
    expect((await gw.call('GET', '/v1/suites', { key: cuiAgency.key })).body.items).toEqual([]);
    const cleared = await gw.call('GET', `/v1/submissions/${sub.submission_id}/runs`, { key: secretAgency.key });
    expect(cleared.body.items).toHaveLength(1);
    expect((await gw.call('GET', `/v1/submissions/${sub.submission_id}/runs`, { key: lab.key })).status).toBe(403);
  });

  it('refuses a suite from a non-operator (403) and items it could not score, naming the field (422)', async () => {
    const body = { name: 'num', version: '1', classification: 'unclassified', scorer: 'numeric', items: [{ id: 'a', input: 'x', target: 'eighty' }] };
    expect((await gw.call('POST', '/v1/suites', { key: secretAgency.key, body })).status).toBe(403);
    const bad = await gw.call('POST', '/v1/suites', { key: gw.operatorKey, body });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('items[0].target');
    expect(bad.text).not.toContain('eighty');
  });
});
