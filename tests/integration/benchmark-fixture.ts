// The benchmark runner's world in one process, shared by its system tests and its benchmark: the window
// scheduler and the runner started against a test environment, and a lab's model served by a lab simulator.
import {
  AppModule as RunnerModule, BENCHMARK_RUNNER, loadBenchmarkRunnerConfig,
} from '@vantage/apps/benchmark-runner';
import { AppModule as SchedulerModule, loadWindowSchedulerConfig, WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { createLabSimulator, LabSimulator, LabSimulatorOptions } from '@vantage/apps/lab-simulator';
import { LookupFunction } from 'node:net';
import { RunningService, TestEnvironment } from '@vantage/testing';
import { Gateway, submissionBody } from '../../apps/intake/test/gateway-fixture';

const DAY = 24 * 3600 * 1000;

export async function migrateSchedulerAndRunner(env: TestEnvironment): Promise<void> {
  await env.migrate(WINDOW_SCHEDULER);
  await env.migrate(BENCHMARK_RUNNER);
}

export function startScheduler(env: TestEnvironment, overrides: Record<string, unknown> = {}): Promise<RunningService> {
  return env.start(WINDOW_SCHEDULER, {
    loadConfig: (e) => loadWindowSchedulerConfig(e),
    module: (c, o) => SchedulerModule.forRoot(c, o),
    overrides: { TIMER_POLL_MS: 50, ...overrides },
  });
}

/** `lookup`: how the runner resolves the labs' hosts (a test's DNS); the system's resolver by default. */
export function startRunner(env: TestEnvironment, overrides: Record<string, unknown>, lookup?: LookupFunction): Promise<RunningService> {
  return env.start(BENCHMARK_RUNNER, {
    loadConfig: (e) => loadBenchmarkRunnerConfig(e),
    module: (c, o) => RunnerModule.forRoot(c, { ...o, lookup }),
    overrides,
  });
}

/**
 * A lab submits a model served by a new lab simulator, released in 10 days (so its window opens at once).
 * The simulator is listening; the caller closes it.
 */
export async function submitSimulatedModel(
  gw: Gateway,
  env: TestEnvironment,
  spec: { labKey: string; model: string; apiKey: string; agencies?: string[]; declaredTrainingFlop?: number; simulator: Partial<LabSimulatorOptions> },
): Promise<{ id: string; sim: LabSimulator }> {
  const sim = createLabSimulator({ apiKey: spec.apiKey, models: [spec.model], ...spec.simulator });
  const { url } = await sim.listen();
  try {
    return { id: await submitModelAt(gw, env, { ...spec, baseUrl: `${url}/v1` }), sim };
  } catch (e) {
    await sim.close();
    throw e;
  }
}

/** A lab submits a model served at `baseUrl`, released in 10 days (so its window opens at once); answers its id. */
export async function submitModelAt(
  gw: Gateway,
  env: TestEnvironment,
  spec: { labKey: string; model: string; apiKey: string; baseUrl: string; agencies?: string[]; declaredTrainingFlop?: number },
): Promise<string> {
  const created = await gw.call('POST', '/v1/submissions', {
    key: spec.labKey,
    body: submissionBody({
      plannedReleaseAt: new Date(env.clock.nowMs() + 10 * DAY).toISOString(),
      earliestAccessAt: undefined,
      endpoint: { baseUrl: spec.baseUrl, modelId: spec.model, apiKey: spec.apiKey },
      declaredTrainingFlop: spec.declaredTrainingFlop ?? 1e24,
      ...(spec.agencies ? { agencies: spec.agencies } : {}),
    }),
  });
  if (created.status !== 201) throw new Error(`submission refused: ${created.status} ${created.text}`);
  return created.body.id as string;
}
