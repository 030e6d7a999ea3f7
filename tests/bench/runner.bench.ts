// `npm run bench -- runner [--items N] [--latency MS] [--concurrency C] [--initial I]`: one suite run through the real
// runner (its own process, as deployed; gateway and scheduler in this one) against the lab simulator
// with a fixed latency, timed from the first model request to `completed`, against the ideal
// items × latency ÷ concurrency. Target: within 1.1× of ideal. Beside it, measured in the same run against the
// same simulator, a bare loop of `concurrency` requests at a time with nothing else (no database, no
// scoring): what this machine allows right now. The simulator runs in a worker thread, as a lab's model runs
// elsewhere: it does not take the runner's event loop.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Agent, request } from 'undici';
import { generateTasks, LabSimulatorOptions, mulberry32, RequestLogEntry } from '@vantage/apps/lab-simulator';
import { RunningService, ServiceProcess, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, LOOPBACK_LABS } from '../../apps/intake/test/gateway-fixture';
import { migrateSchedulerAndRunner, startScheduler, submitModelAt } from '../integration/benchmark-fixture';

const LAB_KEY = 'sk-bench-runner-key-3f7a';
const MODEL = 'acme-bench-runner';
const ROOT = path.join(__dirname, '..', '..');

function argValue(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} takes a positive number`);
  return v;
}

/** A lab simulator in a worker thread; its request log is read over its admin API. */
async function simulatorThread(options: LabSimulatorOptions): Promise<{ url: string; requests(): Promise<RequestLogEntry[]>; clear(): Promise<void>; close(): Promise<void> }> {
  const worker = new Worker(
    `require(${JSON.stringify(path.join(ROOT, 'apps/launcher/src/register.js'))});
     const { parentPort, workerData } = require('node:worker_threads');
     const { createLabSimulator } = require(${JSON.stringify(path.join(ROOT, 'apps/lab-simulator/src/simulator.ts'))});
     const sim = createLabSimulator(workerData);
     sim.listen().then(({ url }) => parentPort.postMessage(url));
     parentPort.on('message', () => sim.close().then(() => process.exit(0)));`,
    { eval: true, workerData: options },
  );
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const admin = (method: string) => fetch(`${url}/_admin/requests`, { method, headers: { authorization: `Bearer ${options.apiKey}` } });
  return {
    url,
    requests: async () => ((await (await admin('GET')).json()) as { requests: RequestLogEntry[] }).requests,
    clear: async () => void (await admin('DELETE')),
    close: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      await exited;
    },
  };
}

/** `items` chat completions, `concurrency` at a time, with the runner's HTTP client and nothing else. */
async function bareLoop(url: string, items: number, concurrency: number): Promise<number> {
  const dispatcher = new Agent();
  let next = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < items) {
      const res = await request(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${LAB_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Task: compute 2 + 3. Answer with the number only.' }], temperature: 0 }),
        dispatcher,
      });
      JSON.parse(await res.body.text());
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  await dispatcher.close();
  return seconds;
}

export async function main(args: string[]): Promise<void> {
  const items = argValue(args, '--items', 2000);
  const latencyMs = argValue(args, '--latency', 50);
  const concurrency = argValue(args, '--concurrency', 32);
  // The limiter's starting point; by default the runner's own (MODEL_INITIAL_CONCURRENCY), ramped up by slow start.
  const initial = args.includes('--initial') ? argValue(args, '--initial', concurrency) : undefined;

  const env = await TestEnvironment.create();
  let gw: Gateway | undefined;
  let sim: Awaited<ReturnType<typeof simulatorThread>> | undefined;
  const services: RunningService[] = [];
  let runner: ServiceProcess | undefined;
  try {
    await migrateSchedulerAndRunner(env);
    // The services' own polling defaults, not the tests' quicker ones: in one process they share the event loop.
    const quiet = { LOG_LEVEL: 'warn', OUTBOX_POLL_MS: 200 };
    gw = await Gateway.start(env, { ...quiet, ...LOOPBACK_LABS });
    services.push(await startScheduler(env, { ...quiet, TIMER_POLL_MS: 1000 }));
    // The runner's own settings (config.ts MODEL_*) with the maximum at `concurrency`: the limiter starts at
    // its default (or --initial) and ramps up (slow start) inside the measured time.
    runner = await ServiceProcess.start(env, 'benchmark-runner', {
      ...quiet, ...LOOPBACK_LABS, MODEL_MAX_CONCURRENCY: concurrency, MODEL_TIMEOUT_MS: 10_000,
      ...(initial ? { MODEL_INITIAL_CONCURRENCY: initial } : {}),
    });
    const lab = await gw.organisation('lab', 'Bench AI');
    const tasks = generateTasks(items, mulberry32(42));
    const suite = await gw.call('POST', '/v1/suites', {
      key: gw.operatorKey,
      body: { name: 'bench-runner', version: '1', classification: 'unclassified', scorer: 'exact', items: tasks.map((t, i) => ({ id: `t${i}`, ...t })) },
    });
    if (suite.status !== 201) throw new Error(`suite refused: ${suite.status} ${suite.text}`);

    sim = await simulatorThread({ apiKey: LAB_KEY, models: [MODEL], latencyMs, latencyJitterMs: 0, seed: 1, skill: 0.8 });
    const submissionId = await submitModelAt(gw, env, { labKey: lab.key, model: MODEL, apiKey: LAB_KEY, baseUrl: `${sim.url}/v1` });

    // Polled gently (the poll shares the runner's event loop); the end is when the completion committed, by the
    // database's clock, which is this machine's clock as the simulator's log is.
    const row = await waitFor(async () => {
      const [r] = await env.query<{ state: string; finished: boolean; ended_at: Date | null }>(
        `SELECT r.state, r.correct + r.wrong + r.errored = r.total AS finished,
                (SELECT max(o.created_at) FROM bench.outbox o WHERE o.envelope->>'subject' = r.id::text AND o.envelope->>'type' LIKE '%.run.completed.%') AS ended_at
         FROM bench.runs r WHERE r.submission_id = $1`, [submissionId],
      );
      return r && r.state !== 'running' ? r : undefined;
    }, { timeoutMs: 600_000, intervalMs: 200, what: 'the run to end' });
    if (row.state !== 'completed' || !row.finished || !row.ended_at) throw new Error(`run ended ${row.state}`);
    const end = row.ended_at.getTime();
    const log = await sim.requests();
    // From the first model request: the window opening and the runner's claim poll are not the runner's work.
    const seconds = (end - Date.parse(log[0].at)) / 1000;
    const ideal = (items * latencyMs) / concurrency / 1000;
    const ratio = seconds / ideal;

    await sim.clear();
    const bare = await bareLoop(sim.url, items, concurrency);

    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(14) : c.padStart(12))).join('');
    console.log(`\nrunner: one ${items}-item suite against the simulator (${latencyMs} ms fixed latency), concurrency ${concurrency}` +
      ` (limiter from ${initial ?? 'its default'})\n`);
    console.log(line(['', 'items', 'requests', 'seconds', 'items/s']));
    console.log(line(['runner', String(items), String(log.length), seconds.toFixed(3), (items / seconds).toFixed(0)]));
    console.log(line(['bare requests', String(items), String(items), bare.toFixed(3), (items / bare).toFixed(0)]));
    console.log(line(['ideal', String(items), String(items), ideal.toFixed(3), (items / ideal).toFixed(0)]));
    console.log(`ideal: ${items} × ${latencyMs} ms ÷ ${concurrency} = ${ideal.toFixed(3)} s`);
    console.log(`runner/ideal: ${ratio.toFixed(3)}   bare/ideal: ${(bare / ideal).toFixed(3)}   runner/bare: ${(seconds / bare).toFixed(3)}`);
    const at = (i: number) => Date.parse(log[Math.min(i, log.length - 1)].at) - Date.parse(log[0].at);
    console.log(`breakdown: ${concurrency} calls out after ${at(concurrency - 1)} ms (ramp-up); last call sent at ${(at(log.length - 1) / 1000).toFixed(3)} s; ` +
      `completed ${((end - Date.parse(log[log.length - 1].at)) / 1000 - latencyMs / 1000).toFixed(3)} s after its answer`);
    console.log(`target: within 1.1× of ideal (${(1.1 * ideal).toFixed(3)} s): ${ratio <= 1.1 ? 'met' : 'NOT met'}`);
  } finally {
    await runner?.stop().catch(() => undefined);
    for (const s of services.reverse()) await s.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    await gw?.close().catch(() => undefined);
    await env.dispose();
  }
}
