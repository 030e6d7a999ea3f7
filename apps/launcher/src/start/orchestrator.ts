// `npm start`: finds (or starts) Postgres and NATS, prepares the database, runs every service's migrations,
// starts the five services and the demo lab model as separate processes, waits until all are ready, walks through
// a demo (a lab submits, the window opens, an agency asks the model), and stops everything on Ctrl-C.
// `npm start -- --check` does the same, then stops everything and exits 0: proof that the system works end to end.
import { existsSync } from 'node:fs';
import { SERVICE_NAMES } from '@vantage/persistence';
import { runDemo } from './demo';
import { bold, dim, fail, green, reserveTagWidth, say, tag, warn } from './log';
import { readFileSync } from 'node:fs';
import { checkNatsTrust, NatsTrust } from '@vantage/messaging';
import { BusTrust, busSettings, localNatsTrust, prepareBus } from './bus';
import { findNatsServer, natsInstallHelp, natsPortFromEnv, probeNats, probeNatsServer, startNatsServer } from './nats';
import {
  adminUrlFromEnv,
  databaseNameFromEnv,
  EmbeddedCluster,
  EMBEDDED_DIR,
  EMBEDDED_LOG,
  embeddedPortFromEnv,
  prepareDatabase,
  probePostgres,
  redactUrl,
  startEmbeddedPostgres,
} from './postgres';
import { ManagedProcess, stopAll } from './processes';
import {
  answers200,
  DEMO_MODEL_ID,
  hostFromEnv,
  LAB_SIMULATOR,
  LAB_SIMULATOR_MAIN,
  LabSimulatorPlan,
  migrate,
  missingMainFiles,
  planLabSimulator,
  planService,
  portInUse,
  portVariable,
  ServicePlan,
  spawnLabSimulator,
  spawnService,
} from './services';
import { encryptionKeys, labSimulatorKey, LocalSetting, operatorKey, statePath } from './state';
import { pollUntil, WaitTimeoutError } from './wait';

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

const USAGE = `Usage: npm start [-- --check]

Starts Vantage on this machine: Postgres (yours, or an embedded one), NATS (yours, or nats-server -js),
the database, every service's migrations, the five services and a demo lab model, then walks through a demo
(a lab submits the model, its window opens, an agency asks it a question). Ctrl-C stops everything.

  --check   start everything, wait until it is ready, run the demo, stop; exit 0 only if every step worked
  --help    this text

Settings (environment): DATABASE_URL (admin URL), VANTAGE_NATS_PORT, VANTAGE_NATS_PREFIX, NATS_URL with
VANTAGE_NATS_TRUST, PORT (gateway), <SERVICE>_PORT, LAB_SIM_PORT, HOST, LOG_LEVEL, VANTAGE_DATABASE,
VANTAGE_EMBEDDED_PG_PORT, VANTAGE_BOOTSTRAP_OPERATOR_KEY — see README.md.`;

class Interrupted extends Error {}

interface State {
  stopping: boolean;
  embedded?: EmbeddedCluster;
  nats?: ManagedProcess;
  services: ManagedProcess[];
  shutdown?: Promise<never>;
}

const state: State = { stopping: false, services: [] };

function guard(): void {
  if (state.stopping) throw new Interrupted('interrupted');
}

/** Stops the services, then NATS and Postgres if they were started here, and exits. Idempotent. */
function shutdown(code: number, opts: { strict?: boolean } = {}): Promise<never> {
  if (state.shutdown) return state.shutdown;
  state.stopping = true;
  state.shutdown = (async () => {
    let exitCode = code;
    const running = state.services.filter((p) => !p.hasExited);
    if (running.length > 0) say(`stopping ${running.map((p) => p.name).join(', ')}…`);
    const hung = await stopAll(state.services, STOP_GRACE_MS);
    for (const p of hung) warn(`${p.name} did not stop within ${STOP_GRACE_MS / 1000} s; killed it`);
    let clean = hung.length === 0;
    if (state.nats && !state.nats.hasExited) {
      say('stopping nats-server…');
      const r = await state.nats.stop(STOP_GRACE_MS);
      if (!r.clean) {
        warn(`nats-server did not stop within ${STOP_GRACE_MS / 1000} s; killed it`);
        clean = false;
      }
    }
    if (state.embedded?.server && !state.embedded.server.hasExited) {
      say('stopping the embedded Postgres…');
      try {
        await state.embedded.stop();
      } catch (err) {
        warn(`the embedded Postgres did not stop cleanly: ${(err as Error).message}`);
        clean = false;
      }
    }
    if (opts.strict && !clean) exitCode = exitCode || 1;
    say(exitCode === 0 ? 'stopped.' : `stopped (exit ${exitCode}).`);
    process.exit(exitCode);
  })();
  return state.shutdown;
}

function onSignal(signal: NodeJS.Signals): void {
  if (!state.stopping) {
    process.stdout.write('\n');
    say(`${signal}: stopping everything (press Ctrl-C again to kill at once)`);
    void shutdown(0);
    return;
  }
  warn(`${signal} again: killing everything now`);
  for (const p of [...state.services, ...(state.nats ? [state.nats] : []), ...(state.embedded?.server ? [state.embedded.server] : [])]) p.signal('SIGKILL');
  process.exit(130);
}

/** A child that exits while it should be running takes the whole system down, with its last lines shown. */
function watch(p: ManagedProcess, opts: { strict: boolean }): void {
  void p.exited.then(() => {
    if (p.stopping || state.stopping) return;
    fail(`${p.name} exited unexpectedly (${p.describeExit()})`);
    p.printLastLines();
    void shutdown(1, opts);
  });
}

async function findPostgres(recent: string[], strict: boolean): Promise<string> {
  const adminUrl = adminUrlFromEnv();
  const probe = await probePostgres(adminUrl);
  if (probe.state === 'up') {
    say(`Postgres: ${redactUrl(adminUrl)} answers`);
    return adminUrl;
  }
  if (probe.state === 'refused') {
    throw new Error(
      `Postgres at ${redactUrl(adminUrl)} answers but refuses us: ${probe.reason}. ` +
        'DATABASE_URL must be an administrative URL (a superuser, or a role with CREATEROLE and CREATEDB).',
    );
  }
  const port = embeddedPortFromEnv();
  say(`no Postgres answers at ${redactUrl(adminUrl)} (${probe.reason}); using the embedded Postgres on 127.0.0.1:${port}, data in ${EMBEDDED_DIR}`);
  const cluster = await startEmbeddedPostgres(
    port,
    (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
    },
    (message) => say(message),
  );
  state.embedded = cluster;
  if (cluster.server) watch(cluster.server, { strict });
  say(cluster.server ? 'embedded Postgres started' : 'an embedded Postgres left running by an earlier run answers; using it');
  return cluster.adminUrl;
}

/** VANTAGE_NATS_PREFIX: every subject, stream and durable consumer of this deployment starts with it. */
function natsPrefixFromEnv(): string {
  const prefix = process.env.VANTAGE_NATS_PREFIX || 'vantage';
  if (!/^[a-z][a-z0-9_-]{0,31}$/.test(prefix)) throw new Error(`VANTAGE_NATS_PREFIX must be lowercase letters, digits, _ or -, not "${prefix}"`);
  return prefix;
}

/**
 * NATS with Vantage's users: npm start's own nats-server on 127.0.0.1:VANTAGE_NATS_PORT, or yours when NATS_URL is
 * set together with VANTAGE_NATS_TRUST (the trust.json `npm run nats-auth -- init` made its configuration from).
 */
async function findNats(strict: boolean): Promise<{ url: string; trust: NatsTrust }> {
  const prefix = natsPrefixFromEnv();
  const yours = process.env.NATS_URL;
  if (yours) {
    const trustFile = process.env.VANTAGE_NATS_TRUST;
    if (!trustFile) {
      throw new Error(
        'NATS_URL is set, but not VANTAGE_NATS_TRUST: npm start needs the trust.json your NATS users are signed with ' +
          '(npm run nats-auth -- init makes it and the server configuration), or unset NATS_URL to let npm start run its own nats-server',
      );
    }
    const trust = { ...checkNatsTrust(JSON.parse(readFileSync(trustFile, 'utf8'))), prefix };
    const probe = await probeNats(yours);
    if (probe.state !== 'up') throw new Error(`no NATS answers at ${yours}: ${probe.reason}`);
    if (!probe.jetstream) throw new Error(`the NATS server at ${probe.server} runs without JetStream; Vantage needs it`);
    say(`NATS: ${yours} (yours, nats-server ${probe.version ?? '?'}), users from ${trustFile}, subject prefix "${prefix}"`);
    return { url: yours, trust };
  }
  const port = natsPortFromEnv();
  const host = '127.0.0.1';
  const taken = await probeNatsServer(host, port, 1000);
  if (taken.state === 'up' || (await portInUse(host, port))) {
    throw new Error(`port ${port} (npm start's own nats-server) is already in use${taken.state === 'up' ? ' by a NATS server' : ''}; set VANTAGE_NATS_PORT to another port`);
  }
  const binary = findNatsServer();
  if (!binary) {
    process.stderr.write(`${natsInstallHelp()}\n`);
    throw new Interrupted('no NATS');
  }
  const { trust, created } = localNatsTrust(prefix);
  say(
    `NATS: starting ${binary} on ${host}:${port} (VANTAGE_NATS_PORT) with a NATS user per service, subject prefix "${prefix}" (VANTAGE_NATS_PREFIX); ` +
      `users ${created ? 'made into' : 'kept in'} ${statePath('nats')}, data in ${statePath('nats', 'jetstream')}`,
  );
  const server = await startNatsServer(binary, host, port, trust);
  state.nats = server;
  watch(server, { strict });
  say('nats-server started');
  return { url: `nats://${host}:${port}`, trust };
}

async function waitUntilReady(plans: { name: string; healthUrl: string }[]): Promise<void> {
  const ready = new Set<string>();
  const started = Date.now();
  let nextNote = started + 15_000;
  const died = new Promise<never>((_, reject) => {
    for (const p of state.services) {
      void p.exited.then(() => {
        if (!p.stopping) reject(new Interrupted(`${p.name} exited`));
      });
    }
  });
  died.catch(() => undefined);
  try {
    await pollUntil(
      async () => {
        await Promise.all(
          plans.filter((p) => !ready.has(p.name)).map(async (p) => {
            if (await answers200(p.healthUrl, 2000)) {
              ready.add(p.name);
              say(`${p.name} is ready ${dim(`(${((Date.now() - started) / 1000).toFixed(1)} s)`)}`);
            }
          }),
        );
        if (ready.size < plans.length && Date.now() >= nextNote) {
          nextNote = Date.now() + 15_000;
          say(`still waiting for ${plans.filter((p) => !ready.has(p.name)).map((p) => p.name).join(', ')}…`);
        }
        return ready.size === plans.length;
      },
      { what: 'every service answering /health/ready with 200', timeoutMs: READY_TIMEOUT_MS, intervalMs: 300, abort: died },
    );
  } catch (err) {
    if (err instanceof WaitTimeoutError) {
      const late = plans.filter((p) => !ready.has(p.name));
      fail(`not ready after ${READY_TIMEOUT_MS / 1000} s: ${late.map((p) => `${p.name} (${p.healthUrl})`).join(', ')}`);
      for (const p of state.services) if (late.some((l) => l.name === p.name)) p.printLastLines();
    }
    throw err;
  }
}

function printTable(plans: ServicePlan[], lab: LabSimulatorPlan, key: LocalSetting, keys: LocalSetting, natsUrl: string, adminUrl: string): void {
  const rows = [...plans.map((p) => ({ name: p.service, baseUrl: p.baseUrl, healthUrl: p.healthUrl })), { name: 'demo lab model', baseUrl: lab.baseUrl, healthUrl: lab.healthUrl }];
  const w1 = Math.max(...rows.map((r) => r.name.length), 'service'.length);
  const w2 = Math.max(...rows.map((r) => r.baseUrl.length), 'URL'.length);
  const lines = [
    '',
    bold(green('Vantage is running.')),
    '',
    `  ${bold('service'.padEnd(w1))}  ${bold('URL'.padEnd(w2))}  ${bold('health')}`,
    ...rows.map((r) => `  ${r.name.padEnd(w1)}  ${r.baseUrl.padEnd(w2)}  ${r.healthUrl}`),
    '',
    `  API (gateway):  ${plans.find((p) => p.service === 'intake')?.baseUrl ?? '?'}`,
    `  API docs:       ${plans.find((p) => p.service === 'intake')?.baseUrl ?? '?'}/docs`,
    `  operator key:   ${key.fromEnv ? '(yours)' : key.value}  ${dim(`(${key.source}; the bootstrap operator's API key)`)}`,
    `  secrets key:    ${dim(`VANTAGE_ENCRYPTION_KEYS ${keys.source}`)}`,
    `  Postgres:       ${redactUrl(adminUrl)}${state.embedded ? dim(` (embedded, data in ${EMBEDDED_DIR})`) : ''}`,
    `  NATS:           ${natsUrl}${state.nats ? dim(' (nats-server started here)') : ''}  ${dim(`(admin credentials: ${statePath('nats', 'admin.creds')})`)}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument ${unknown.join(' ')}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const check = argv.includes('--check');
  reserveTagWidth([...SERVICE_NAMES, LAB_SIMULATOR, 'postgres', 'nats', 'start']);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as NodeJS.Signals[]) process.on(signal, onSignal);

  const pgLines: string[] = [];
  try {
    const missing = [...missingMainFiles(SERVICE_NAMES), ...(existsSync(LAB_SIMULATOR_MAIN) ? [] : [LAB_SIMULATOR])];
    if (missing.length > 0) throw new Error(`these services have no entry point yet: ${missing.join(', ')}`);

    let adminUrl: string;
    try {
      adminUrl = await findPostgres(pgLines, check);
    } catch (err) {
      if (pgLines.length > 0) {
        process.stderr.write(`${tag('postgres')} ${dim(`--- last lines (full log: ${EMBEDDED_LOG}) ---`)}\n`);
        for (const line of pgLines.slice(-20)) process.stderr.write(`${tag('postgres')} ${line}\n`);
      }
      throw err;
    }
    guard();

    const database = databaseNameFromEnv();
    const databaseUrls = await prepareDatabase(adminUrl, database);
    say(`database "${database}": one role and one schema per service`);
    guard();

    const { url: natsUrl, trust } = await findNats(check);
    const bus: BusTrust = await prepareBus(trust);
    guard();

    const key = operatorKey();
    const keys = encryptionKeys();
    const plans = SERVICE_NAMES.map((s) =>
      planService(s, { databaseUrls, natsUrl, operatorKey: key.value, encryptionKeys: keys.value, bus: (service) => ({ ...busSettings(bus, service), VANTAGE_NATS_PREFIX: trust.prefix }) }),
    );
    // The demo lab model: not a programme service (no database, no NATS, no migrations), but started, awaited and stopped with them.
    const labKey = labSimulatorKey().value;
    const lab = planLabSimulator({ apiKey: labKey });
    const host = hostFromEnv();
    const ports = [...plans.map((p) => ({ name: p.service, port: p.port, variable: p.service === 'intake' ? 'PORT' : portVariable(p.service) })),
      { name: LAB_SIMULATOR, port: lab.port, variable: 'LAB_SIM_PORT' }];
    for (const p of ports) {
      if (await portInUse(host, p.port)) throw new Error(`port ${p.port} (${p.name}) is already in use; set ${p.variable} to another port`);
    }

    for (const p of plans) {
      say(`migrating ${p.service}…`);
      await migrate(p.service, p.env);
      guard();
    }

    for (const p of plans) {
      const proc = spawnService(p);
      state.services.push(proc);
      watch(proc, { strict: check });
    }
    const labProc = spawnLabSimulator(lab);
    state.services.push(labProc);
    watch(labProc, { strict: check });
    say(`started ${plans.length} services and the demo lab model; waiting until each answers /health/ready…`);
    await waitUntilReady([...plans.map((p) => ({ name: p.service, healthUrl: p.healthUrl })), { name: LAB_SIMULATOR, healthUrl: lab.healthUrl }]);
    guard();

    printTable(plans, lab, key, keys, natsUrl, adminUrl);
    const gatewayUrl = plans.find((p) => p.service === 'intake')!.baseUrl;
    const demo = await runDemo({ gatewayUrl, operatorKey: key.value, simulatorUrl: lab.baseUrl, simulatorKey: labKey, modelId: DEMO_MODEL_ID });
    guard();
    if (check) {
      if (!demo.ok) {
        fail(`check failed: every service is ready, but the demo failed at: ${demo.step}; stopping`);
        await shutdown(1, { strict: true });
      }
      say(green('check passed: every service is ready and the demo worked end to end; stopping'));
      await shutdown(0, { strict: true });
    }
    if (!demo.ok) warn('the system keeps running: the demo is only a walkthrough');
    say('press Ctrl-C to stop everything');
  } catch (err) {
    if (err instanceof Interrupted) {
      if (!state.stopping) await shutdown(1, { strict: check });
      return;
    }
    fail((err as Error).message);
    await shutdown(1, { strict: check });
  }
}
