// The five services as child processes: their settings, their migrations, their readiness; and the demo
// lab model (apps/lab-simulator), which is no programme service: no database, no NATS, no migrations.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SERVICES, ServiceName } from '@vantage/persistence';
import { ManagedProcess, runToCompletion } from './processes';
import { ROOT } from './state';

export const REGISTER = join(ROOT, 'apps', 'launcher', 'src', 'register.js');

export function mainFile(service: ServiceName): string {
  return join(ROOT, 'apps', service, 'src', 'main.ts');
}

/** WINDOW_SCHEDULER_PORT for window-scheduler. */
export function portVariable(service: ServiceName): string {
  return `${service.replace(/-/g, '_').toUpperCase()}_PORT`;
}

function parsePort(name: string, raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number, not "${raw}"`);
  return port;
}

/** The gateway (intake) takes PORT; each other service <NAME>_PORT, else its default port. */
export function portOf(service: ServiceName, env: NodeJS.ProcessEnv = process.env): number {
  const variable = service === 'intake' ? 'PORT' : portVariable(service);
  const raw = env[variable];
  return raw ? parsePort(variable, raw) : SERVICES[service].defaultPort;
}

export function hostFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST || '127.0.0.1';
}

/** Where to reach a service that listens on `host` (a wildcard address is reached on the loopback). */
export function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export interface ServicePlan {
  service: ServiceName;
  port: number;
  baseUrl: string;
  healthUrl: string;
  env: NodeJS.ProcessEnv;
}

export interface PlanInput {
  databaseUrls: Record<ServiceName, string>;
  natsUrl: string;
  operatorKey?: string;
  /** VANTAGE_ENCRYPTION_KEYS, for the services that keep secrets at rest (passed to all; the others ignore it). */
  encryptionKeys?: string;
  /** Each service's bus settings: its NATS credentials, its identity, every service's public keys. */
  bus?: (service: ServiceName) => Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

/** The environment each service runs with. Settings meant for one service are not passed to the others. */
export function planService(service: ServiceName, input: PlanInput): ServicePlan {
  const env = input.env ?? process.env;
  const host = hostFromEnv(env);
  const port = portOf(service, env);
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    DATABASE_URL: input.databaseUrls[service],
    NATS_URL: input.natsUrl,
    HOST: host,
    PORT: String(port),
    ...input.bus?.(service),
  };
  if (input.encryptionKeys) childEnv.VANTAGE_ENCRYPTION_KEYS = input.encryptionKeys;
  delete childEnv.VANTAGE_BOOTSTRAP_OPERATOR_KEY;
  // The feed signer is the gateway's alone.
  if (service !== 'intake') delete childEnv.VANTAGE_FEED_SIGNING_KEY;
  if (service === 'intake' && input.operatorKey) childEnv.VANTAGE_BOOTSTRAP_OPERATOR_KEY = input.operatorKey;
  // On one machine the demo lab model and the webhook receivers a developer runs are local (and plain http): the
  // services that call out admit this machine. Production leaves the allow-list empty: https to public addresses only.
  if (['intake', 'benchmark-runner', 'notifier'].includes(service) && !env.OUTBOUND_ALLOWED_HOSTS) {
    childEnv.OUTBOUND_ALLOWED_HOSTS = [...new Set(['127.0.0.1', 'localhost', '::1', reachableHost(host).replace(/^\[|\]$/g, '')])].join(',');
  }
  const baseUrl = `http://${reachableHost(host)}:${port}`;
  return { service, port, baseUrl, healthUrl: `${baseUrl}/health/ready`, env: childEnv };
}

export function missingMainFiles(services: readonly ServiceName[]): string[] {
  return services.map(mainFile).filter((f) => !existsSync(f));
}

export const LAB_SIMULATOR = 'lab-simulator';
export const LAB_SIMULATOR_MAIN = join(ROOT, 'apps', LAB_SIMULATOR, 'src', 'main.ts');
export const LAB_SIMULATOR_DEFAULT_PORT = 3010;
/** The model the demo lab serves, and submits. */
export const DEMO_MODEL_ID = 'acme-frontier-2026-12';

/**
 * What the demo lab model inherits from our environment: only what a Node process needs to run, so none of
 * the services' settings (DATABASE_URL, NATS_URL, VANTAGE_*, PORT…) reach it. The user's own LAB_SIM_* pass.
 */
const LAB_SIMULATOR_INHERITS = /^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LC_[A-Z]+|TZ|TMPDIR|TEMP|TMP|TERM|NO_COLOR|NODE_OPTIONS|NODE_EXTRA_CA_CERTS|SWC_NODE_PROJECT|SYSTEMROOT|LAB_SIM_[A-Z0-9_]+)$/;

export interface LabSimulatorPlan {
  name: typeof LAB_SIMULATOR;
  port: number;
  /** Where it answers; its OpenAI-compatible API root is `${baseUrl}/v1`. */
  baseUrl: string;
  healthUrl: string;
  env: NodeJS.ProcessEnv;
}

/** The demo lab model: LAB_SIM_PORT (default 3010) on the services' HOST, with the key Vantage is given for it. */
export function planLabSimulator(input: { apiKey: string; env?: NodeJS.ProcessEnv }): LabSimulatorPlan {
  const env = input.env ?? process.env;
  const host = hostFromEnv(env);
  const port = env.LAB_SIM_PORT ? parsePort('LAB_SIM_PORT', env.LAB_SIM_PORT) : LAB_SIMULATOR_DEFAULT_PORT;
  const childEnv: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(env).filter(([k]) => LAB_SIMULATOR_INHERITS.test(k))),
    LAB_SIM_PORT: String(port),
    LAB_SIM_HOST: host,
    LAB_SIM_API_KEY: input.apiKey,
    LAB_SIM_MODELS: DEMO_MODEL_ID,
    LAB_SIM_LATENCY_MS: '50',
    LAB_SIM_SKILL: '0.9',
  };
  const baseUrl = `http://${reachableHost(host)}:${port}`;
  return { name: LAB_SIMULATOR, port, baseUrl, healthUrl: `${baseUrl}/health/ready`, env: childEnv };
}

export function spawnLabSimulator(plan: LabSimulatorPlan): ManagedProcess {
  return new ManagedProcess({
    name: plan.name,
    command: process.execPath,
    args: ['-r', REGISTER, LAB_SIMULATOR_MAIN],
    cwd: ROOT,
    env: plan.env,
  });
}

/** Runs one service's migrations (`main.ts migrate`); throws naming the service if they fail. */
export async function migrate(service: ServiceName, env: NodeJS.ProcessEnv): Promise<void> {
  const result = await runToCompletion({
    name: service,
    command: process.execPath,
    args: ['-r', REGISTER, mainFile(service), 'migrate'],
    cwd: ROOT,
    env,
  });
  if (!result.ok) {
    throw new Error(`migrations of ${service} failed (${result.process.describeExit()})`);
  }
}

export function spawnService(plan: ServicePlan): ManagedProcess {
  return new ManagedProcess({
    name: plan.service,
    command: process.execPath,
    args: ['-r', REGISTER, mainFile(plan.service)],
    cwd: ROOT,
    env: plan.env,
  });
}

/** True when GET url answers 200 within the timeout. */
export function answers200(url: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Whether something already listens on the port (so the service would fail with EADDRINUSE). */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}
