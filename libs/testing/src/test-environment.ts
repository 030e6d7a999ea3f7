// One test file's world: its own database (with the service roles and schemas), its own subject and
// stream prefix, a controllable clock, and in-process services started against them.
import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, NatsConnection } from 'nats';
import { Client } from 'pg';
import { ManualClock } from '@vantage/clock';
import { ServiceConfig } from '@vantage/config';
import { runMigrations, schemaOf, serviceDatabaseUrl, ServiceName, setUpDatabase } from '@vantage/persistence';
import { createServiceApp, ServiceCoreOptions, ServiceEntry } from '@vantage/runtime';
import { streamPrefix } from '@vantage/messaging';
import { infrastructure } from './infrastructure';
import { LogCapture } from './log-capture';

export interface RunningService {
  app: NestFastifyApplication;
  url: string;
  logs: LogCapture;
  close(): Promise<void>;
}

type ModuleFactory<C> = (config: C, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'>) => ReturnType<ServiceEntry<any>['module']>;

export class TestEnvironment {
  private readonly running = new Set<RunningService>();
  private natsConnection?: NatsConnection;
  /** A fresh AES-256 key for this test file's secrets. */
  readonly encryptionKey = randomBytes(32).toString('base64');

  private constructor(
    readonly database: string,
    readonly adminUrl: string,
    readonly natsUrl: string,
    /** Subject prefix, e.g. `t3f9a1c`; streams are `T3F9A1C_INTAKE`, … */
    readonly prefix: string,
    readonly clock: ManualClock,
  ) {}

  /** `servers`: Postgres and NATS of the test's own (fault tests start private ones), instead of the shared ones. */
  static async create(clockStart: string = '2026-11-26T12:00:00Z', servers?: { adminUrl: string; natsUrl: string }): Promise<TestEnvironment> {
    const infra = servers ?? (await infrastructure());
    const id = randomBytes(4).toString('hex');
    const database = `vt_${id}`;
    await setUpDatabase({ adminUrl: infra.adminUrl, database });
    return new TestEnvironment(database, infra.adminUrl, infra.natsUrl, `t${id}`, new ManualClock(clockStart));
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

  /** A NATS connection for the test's own assertions. */
  async nats(): Promise<NatsConnection> {
    this.natsConnection ??= await connect({ servers: this.natsUrl.split(',').map((s) => s.trim()), name: `test-${this.prefix}` });
    return this.natsConnection;
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
    const nc = await this.nats();
    const jsm = await nc.jetstreamManager();
    const prefix = `${streamPrefix(this.prefix)}_`;
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(prefix)) await jsm.streams.delete(name).catch(() => undefined);
    }
    await nc.close();
    const admin = new Client({ connectionString: this.adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
