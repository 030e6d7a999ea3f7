// One test file's world: its own database (with the service roles and schemas), its own NATS server with its own
// credentials (a user per service with exactly its rights, as deployed), its own subject and stream prefix, its own
// service identities, a controllable clock, and in-process services started against them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, NatsConnection } from 'nats';
import { Client } from 'pg';
import { ManualClock } from '@vantage/clock';
import { ServiceConfig } from '@vantage/config';
import { newIdentitySeed, ServiceDirectory, ServiceIdentity } from '@vantage/crypto';
import { runMigrations, schemaOf, SERVICE_NAMES, serviceDatabaseUrl, ServiceName, setUpDatabase } from '@vantage/persistence';
import { createServiceApp, ServiceCoreOptions, ServiceEntry } from '@vantage/runtime';
import {
  accountPublicKey, adminCreds, createNatsTrust, ensureStreams, NatsClient, natsConnectionOptions, NatsTrust, RpcClient, serviceCreds,
  serviceInboxPrefix, streamConfigs, streamPrefix,
} from '@vantage/messaging';
import { infrastructure } from './infrastructure';
import { LogCapture } from './log-capture';
import { NatsServers, NatsServersOptions } from './nats-servers';

export interface RunningService {
  app: NestFastifyApplication;
  url: string;
  logs: LogCapture;
  close(): Promise<void>;
}

type ModuleFactory<C> = (config: C, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'>) => ReturnType<ServiceEntry<any>['module']>;

export interface TestEnvironmentOptions {
  /** A Postgres of the test's own (fault tests start a private one) instead of the shared one. */
  adminUrl?: string;
  /** Its NATS: a three-node cluster, TLS. */
  nats?: NatsServersOptions;
  /**
   * Make every stream of the prefix up front (default), as in a deployment where each producer has started once:
   * a test may then start only the services it needs, and publish another's events itself. `false` leaves each
   * stream to its producer.
   */
  streams?: boolean | { replicas: number };
}

/** What every service of a test environment is given to connect and to prove who it is. */
interface Credentials {
  dir: string;
  adminCredsFile: string;
  credsFiles: Record<ServiceName, string>;
  identitySeeds: Record<ServiceName, string>;
  serviceKeys: string;
}

export class TestEnvironment {
  private readonly running = new Set<RunningService>();
  private readonly clients = new Set<NatsClient>();
  private natsConnection?: NatsConnection;
  /** A fresh AES-256 key for this test file's secrets. */
  readonly encryptionKey = randomBytes(32).toString('base64');

  private constructor(
    readonly database: string,
    readonly adminUrl: string,
    /** The environment's own NATS server(s); `natsServers.url` is every service's NATS_URL. */
    readonly natsServers: NatsServers,
    /** The seeds the environment's NATS users are signed with (the operator's secrets of a deployment). */
    readonly natsTrust: NatsTrust,
    private readonly credentials: Credentials,
    /** Subject prefix, e.g. `t3f9a1c`; streams are `T3F9A1C_INTAKE`, … */
    readonly prefix: string,
    readonly clock: ManualClock,
  ) {}

  static async create(clockStart: string = '2026-11-26T12:00:00Z', opts: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
    const adminUrl = opts.adminUrl ?? (await infrastructure()).adminUrl;
    const id = randomBytes(4).toString('hex');
    const database = `vt_${id}`;
    const prefix = `t${id}`;
    const trust = createNatsTrust(prefix);
    const [servers, credentials] = await Promise.all([NatsServers.start(trust, opts.nats), makeCredentials(trust), setUpDatabase({ adminUrl, database })]);
    const env = new TestEnvironment(database, adminUrl, servers, trust, credentials, prefix, new ManualClock(clockStart));
    try {
      if (opts.streams !== false) await env.makeStreams(typeof opts.streams === 'object' ? opts.streams.replicas : 1);
    } catch (e) {
      await env.dispose();
      throw e;
    }
    return env;
  }

  /** Makes every stream of this prefix with the services' default settings (a producer updates its own at start). */
  async makeStreams(replicas = 1): Promise<void> {
    const defaults = new ServiceConfig();
    const jsm = await (await this.nats()).jetstreamManager();
    await ensureStreams(
      jsm,
      streamConfigs({
        prefix: this.prefix,
        replicas,
        storage: defaults.NATS_STREAM_STORAGE,
        maxAgeDays: defaults.NATS_STREAM_MAX_AGE_DAYS,
        duplicateWindowMs: defaults.NATS_DUPLICATE_WINDOW_MS,
      }),
    );
  }

  get natsUrl(): string {
    return this.natsServers.url;
  }

  /** A `.creds` file with every right in the account (an operator's), for tools a test runs. */
  get adminCredsFile(): string {
    return this.credentials.adminCredsFile;
  }

  credsFileOf(service: ServiceName): string {
    return this.credentials.credsFiles[service];
  }

  /** VANTAGE_SERVICE_KEYS of this environment: every service's public keys. */
  get serviceKeys(): string {
    return this.credentials.serviceKeys;
  }

  /** A service's identity, as it proves itself on request-reply (tests use it to sign as that service would). */
  identityOf(service: ServiceName): Promise<ServiceIdentity> {
    return ServiceIdentity.fromSeed(service, this.credentials.identitySeeds[service]);
  }

  /** Admin URL of this test's database (superuser; for assertions on rows). */
  get databaseAdminUrl(): string {
    const url = new URL(this.adminUrl);
    url.pathname = `/${this.database}`;
    return url.toString();
  }

  databaseUrlFor(service: ServiceName): string {
    return serviceDatabaseUrl(this.adminUrl, this.database, service);
  }

  streamName(domain: string): string {
    return `${streamPrefix(this.prefix)}_${domain.toUpperCase()}`;
  }

  /** The settings a service gets in this environment, plus the test's overrides. */
  settings(service: ServiceName, overrides: Record<string, unknown> = {}): Record<string, string> {
    const env: Record<string, string> = {
      DATABASE_URL: this.databaseUrlFor(service),
      NATS_URL: this.natsUrl,
      VANTAGE_NATS_PREFIX: this.prefix,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      OUTBOX_POLL_MS: '50',
      VANTAGE_RETRY_BASE_MS: '50',
      VANTAGE_ENCRYPTION_KEYS: `test:${this.encryptionKey}`,
      NATS_CREDS_FILE: this.credentials.credsFiles[service],
      ...(this.natsServers.tlsCaFile ? { NATS_TLS_CA_FILE: this.natsServers.tlsCaFile } : {}),
      VANTAGE_IDENTITY_KEY: this.credentials.identitySeeds[service],
      VANTAGE_SERVICE_KEYS: this.credentials.serviceKeys,
      // The gateway issues organisations their feed users, signed with the scoped feed key.
      ...(service === 'intake' ? { VANTAGE_FEED_SIGNING_KEY: this.natsTrust.feedSignerSeed, VANTAGE_NATS_ACCOUNT: accountPublicKey(this.natsTrust) } : {}),
    };
    for (const [k, v] of Object.entries(overrides)) env[k] = String(v);
    return env;
  }

  async migrate(entry: ServiceEntry<any>): Promise<void> {
    await runMigrations({
      url: this.databaseUrlFor(entry.service),
      schema: schemaOf(entry.service),
      entities: entry.entities,
      migrations: entry.migrations,
    });
  }

  /**
   * Starts a service in this process, listening on a free port. `loadConfig` is the service's own loader,
   * given this environment's settings as its environment; `module` builds its AppModule.
   */
  async start<C extends ServiceConfig>(
    entry: ServiceEntry<C>,
    parts: { loadConfig: (env: Record<string, string>) => C; module: ModuleFactory<C>; overrides?: Record<string, unknown> },
  ): Promise<RunningService> {
    const config = parts.loadConfig(this.settings(entry.service, parts.overrides));
    const logs = new LogCapture();
    const app = await createServiceApp(entry, config, parts.module(config, { clock: this.clock, logStream: logs }) as any);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const service: RunningService = {
      app,
      url: `http://127.0.0.1:${port}`,
      logs,
      close: async () => {
        if (!this.running.delete(service)) return;
        await app.close();
      },
    };
    this.running.add(service);
    return service;
  }

  /** A NATS connection with every right, for the test's own assertions (as an operator's tools would have). */
  async nats(): Promise<NatsConnection> {
    this.natsConnection ??= await this.natsAs(await adminCreds(this.natsTrust, `test-${this.prefix}`), { name: `test-${this.prefix}` });
    return this.natsConnection;
  }

  /** A NATS connection with the given credentials (a service's, an organisation's feed user, one with no rights). */
  natsAs(creds: string, opts: { name?: string; inboxPrefix?: string } = {}): Promise<NatsConnection> {
    const tlsCa = this.natsServers.tlsCaFile ? readFileSync(this.natsServers.tlsCaFile, 'utf8') : undefined;
    return connect({ ...natsConnectionOptions({ url: this.natsUrl, name: opts.name ?? 'test-client', creds, inboxPrefix: opts.inboxPrefix, tlsCa }), timeout: 20_000 });
  }

  /**
   * An RpcClient that signs as `service` (its identity), on a connection with `creds` (every right when left out):
   * for a test that plays a service the test does not start, e.g. the gateway calling another service directly.
   */
  async rpcClientAs(service: ServiceName, opts: { creds?: string } = {}): Promise<RpcClient> {
    const nats = await NatsClient.connect({
      url: this.natsUrl,
      name: `test-${service}`,
      prefix: this.prefix,
      creds: opts.creds ?? (await adminCreds(this.natsTrust, `test-as-${service}`)),
      inboxPrefix: serviceInboxPrefix(service),
      ...(this.natsServers.tlsCaFile ? { tlsCa: readFileSync(this.natsServers.tlsCaFile, 'utf8') } : {}),
    });
    this.clients.add(nats);
    return new RpcClient(nats, { service, config: { VANTAGE_NATS_PREFIX: this.prefix } as ServiceConfig }, await this.identityOf(service), ServiceDirectory.parse(this.serviceKeys));
  }

  /** Runs SQL in this test's database as the superuser. */
  async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseAdminUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async dispose(): Promise<void> {
    for (const s of [...this.running]) await s.close().catch(() => undefined);
    for (const c of this.clients) await c.drain().catch(() => undefined);
    await this.natsConnection?.close().catch(() => undefined);
    // The server, its streams and its credentials were this environment's alone.
    await this.natsServers.dispose();
    rmSync(this.credentials.dir, { recursive: true, force: true });
    const admin = new Client({ connectionString: this.adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

async function makeCredentials(trust: NatsTrust): Promise<Credentials> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-creds-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const credsFiles = {} as Record<ServiceName, string>;
  const identitySeeds = {} as Record<ServiceName, string>;
  const entries: string[] = [];
  for (const service of SERVICE_NAMES) {
    // Test environments let end-to-end tests move a service's clock (VANTAGE_TEST_CLOCK): its user may hear that.
    credsFiles[service] = write(`${service}.creds`, await serviceCreds(trust, service, { testClock: true }));
    identitySeeds[service] = newIdentitySeed();
    entries.push((await ServiceIdentity.fromSeed(service, identitySeeds[service])).directoryEntry);
  }
  return { dir, adminCredsFile: write('admin.creds', await adminCreds(trust)), credsFiles, identitySeeds, serviceKeys: entries.join(',') };
}

export { serviceInboxPrefix, streamPrefix };
