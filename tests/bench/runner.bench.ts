// `npm run bench -- runner [--items N] [--latency MS] [--concurrency C]`: one suite run through the real
// runner (gateway + scheduler + runner in-process, as the integration test does) against the lab simulator
// with a fixed latency, timed from the first model request to `completed`, against the ideal
// items × latency ÷ concurrency. Target: within 1.1× of ideal.
import { generateTasks, LabSimulator, mulberry32 } from '@vantage/apps/lab-simulator';
import { RunningService, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway } from '../../apps/intake/test/gateway-fixture';
import { migrateSchedulerAndRunner, startRunner, startScheduler, submitSimulatedModel } from '../integration/benchmark-fixture';

const LAB_KEY = 'sk-bench-runner-key-3f7a';
const MODEL = 'acme-bench-runner';

function argValue(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} takes a positive number`);
  return v;
}

export async function main(args: string[]): Promise<void> {
  const items = argValue(args, '--items', 2000);
  const latencyMs = argValue(args, '--latency', 50);
  const concurrency = argValue(args, '--concurrency', 32);

  const env = await TestEnvironment.create();
  let gw: Gateway | undefined;
  let sim: LabSimulator | undefined;
  const services: RunningService[] = [];
  try {
    await migrateSchedulerAndRunner(env);
    gw = await Gateway.start(env, { LOG_LEVEL: 'warn' });
    services.push(await startScheduler(env, { LOG_LEVEL: 'warn' }));
    // The runner's own settings (config.ts MODEL_*): a fixed concurrency, so what is measured is the runner,
    // not the limiter's ramp-up (which an uncongested lab would grow one step per `limit` successes).
    services.push(await startRunner(env, {
      LOG_LEVEL: 'warn', RUN_POLL_MS: 50, MODEL_MIN_CONCURRENCY: concurrency, MODEL_MAX_CONCURRENCY: concurrency,
      MODEL_INITIAL_CONCURRENCY: concurrency, MODEL_TIMEOUT_MS: 10_000,
    }));
    const lab = await gw.organisation('lab', 'Bench AI');
    const tasks = generateTasks(items, mulberry32(42));
    const suite = await gw.call('POST', '/v1/suites', {
      key: gw.operatorKey,
      body: { name: 'bench-runner', version: '1', classification: 'unclassified', scorer: 'exact', items: tasks.map((t, i) => ({ id: `t${i}`, ...t })) },
    });
    if (suite.status !== 201) throw new Error(`suite refused: ${suite.status} ${suite.text}`);

    const model = await submitSimulatedModel(gw, env, {
      labKey: lab.key, model: MODEL, apiKey: LAB_KEY, simulator: { latencyMs, latencyJitterMs: 0, seed: 1, skill: 0.8 },
    });
    sim = model.sim;
    const submissionId = model.id;

    const row = await waitFor(async () => {
      const [r] = await env.query<{ state: string; finished: boolean }>(
        "SELECT state, correct + wrong + errored = total AS finished FROM bench.runs WHERE submission_id = $1", [submissionId],
      );
      return r && r.state !== 'running' ? r : undefined;
    }, { timeoutMs: 600_000, intervalMs: 10, what: 'the run to end' });
    // Taken as soon as the run is seen ended (within the 10 ms poll above).
    const end = Date.now();
    if (row.state !== 'completed' || !row.finished) throw new Error(`run ended ${row.state}`);
    // From the first model request: the window opening and the runner's claim poll are not the runner's work.
    const start = Date.parse(sim.requestLog[0].at);
    const seconds = (end - start) / 1000;
    const ideal = (items * latencyMs) / concurrency / 1000;
    const ratio = seconds / ideal;
    const asked = sim.requestLog.length;

    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(14) : c.padStart(12))).join('');
    console.log(`\nrunner: one ${items}-item suite against the simulator (${latencyMs} ms fixed latency), concurrency ${concurrency}\n`);
    console.log(line(['', 'items', 'requests', 'seconds', 'items/s']));
    console.log(line(['measured', String(items), String(asked), seconds.toFixed(3), (items / seconds).toFixed(0)]));
    console.log(line(['ideal', String(items), String(items), ideal.toFixed(3), (items / ideal).toFixed(0)]));
    console.log(`ideal: ${items} × ${latencyMs} ms ÷ ${concurrency} = ${ideal.toFixed(3)} s`);
    console.log(`ratio measured/ideal: ${ratio.toFixed(3)}`);
    console.log(`target: within 1.1× of ideal (${(1.1 * ideal).toFixed(3)} s): ${ratio <= 1.1 ? 'met' : 'NOT met'}`);
  } finally {
    for (const s of services.reverse()) await s.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    await gw?.close().catch(() => undefined);
    await env.dispose();
  }
}
