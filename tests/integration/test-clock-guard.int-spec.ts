// VANTAGE_TEST_CLOCK lets whoever reaches NATS move a service's clock: a service started as operators start it
// refuses it unless NODE_ENV is test, and the test harness runs the processes that turn it on as tests.
import { WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { ServiceProcess, shiftServiceClock, TestEnvironment } from '@vantage/testing';

jest.setTimeout(90_000);

describe('the test clock outside tests', () => {
  let env: TestEnvironment;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create();
    await env.migrate(WINDOW_SCHEDULER);
  });
  afterAll(async () => {
    for (const p of processes) await p.stop();
    await env?.dispose();
  });

  it.each([['development'], ['production'], ['']])('refuses to start with VANTAGE_TEST_CLOCK when NODE_ENV is "%s", naming the variable', async (nodeEnv) => {
    // Were it to start, it is stopped with the others.
    const started = ServiceProcess.start(env, 'window-scheduler', { VANTAGE_TEST_CLOCK: 'true', NODE_ENV: nodeEnv }).then((p) => processes.push(p));
    await expect(started).rejects.toThrow(
      /VANTAGE_TEST_CLOCK: is for tests only: it is refused unless NODE_ENV is test/,
    );
  });

  it('starts a process of the test harness with the clock on, and the test moves it', async () => {
    const p = await ServiceProcess.start(env, 'window-scheduler', { VANTAGE_TEST_CLOCK: 'true' });
    processes.push(p);
    const [moved] = await shiftServiceClock(env, 'window-scheduler', 3_600_000);
    expect(moved.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('runs normally without it, whatever NODE_ENV is', async () => {
    const p = await ServiceProcess.start(env, 'window-scheduler', { NODE_ENV: 'production' });
    processes.push(p);
    expect((await fetch(`${p.url}/health/ready`)).status).toBe(200);
  });
});
