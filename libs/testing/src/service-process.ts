// A service as its own operating-system process, as operators run it: for end-to-end and fault tests.
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ServiceName } from '@vantage/persistence';
import { TestEnvironment } from './test-environment';
import { freePort } from './ports';
import { waitFor } from './wait-for';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export { freePort } from './ports';

export class ServiceProcess {
  readonly output: string[] = [];
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  private constructor(
    readonly service: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** Starts `apps/<service>/src/main.ts` with the environment's settings and waits until it is ready. */
  static async start(env: TestEnvironment, service: ServiceName, overrides: Record<string, unknown> = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const settings = env.settings(service, { PORT: port, ...overrides });
    const p = new ServiceProcess(service, port, settings);
    await p.launch();
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The operating-system process id while it runs (for its CPU figures in benchmarks). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async launch(): Promise<void> {
    const child = spawn(process.execPath, ['-r', './apps/launcher/src/register.js', `apps/${this.service}/src/main.ts`], {
      cwd: ROOT,
      // A service refuses VANTAGE_TEST_CLOCK unless NODE_ENV is test; a test that turns the clock on runs its
      // process as a test (a test's own NODE_ENV still wins, e.g. to see the refusal).
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(/^(1|true|yes|on)$/i.test(this.env.VANTAGE_TEST_CLOCK ?? '') ? { NODE_ENV: 'test' } : {}), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const collect = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    // A service that exits while starting fails the wait at once, not after the whole timeout.
    const died = this.exited.then(() => {
      throw new Error(`${this.service} exited while starting:\n${this.output.slice(-20).join('\n')}`);
    });
    died.catch(() => undefined);
    let starting = true;
    const ready = waitFor(
      async () => {
        if (!starting) return true;
        const res = await fetch(`${this.url}/health/ready`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `${this.service} to be ready` },
    );
    await Promise.race([ready, died])
      .catch((e) => {
        child.kill('SIGKILL');
        throw e;
      })
      .finally(() => (starting = false));
  }

  /** SIGTERM: the service drains and exits; returns its exit code. */
  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.exited!;
  }

  /** kill -9: no chance to finish anything. */
  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
