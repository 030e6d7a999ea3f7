// The entry point every service's main.ts calls: `main.ts` serves, `main.ts migrate` migrates and exits.
import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ConfigError, DatabaseConfig, loadConfig, ServiceConfig } from '@vantage/config';
import { ClassRef, runMigrations, schemaOf, ServiceName } from '@vantage/persistence';
import { answerClientError, answerFrameworkError } from './problem-details.filter';
import { assertTestClockAllowed } from './test-clock-control';

export interface ServiceEntry<C extends ServiceConfig> {
  service: ServiceName;
  loadConfig: () => C;
  module: (config: C) => DynamicModule | Type<unknown>;
  entities: ClassRef[];
  migrations: ClassRef[];
  /** Extra HTTP set-up (OpenAPI) for the gateway. */
  configure?: (app: NestFastifyApplication, config: C) => Promise<void> | void;
  /** Largest request body, in bytes (default 1 MiB). */
  bodyLimit?: (config: C) => number;
}

/** Builds the service's HTTP application (not yet listening). Used by main.ts and by tests. */
export async function createServiceApp<C extends ServiceConfig>(
  entry: ServiceEntry<C>,
  config: C,
  module: DynamicModule | Type<unknown> = entry.module(config),
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter({ bodyLimit: entry.bodyLimit?.(config) ?? 1024 * 1024, clientErrorHandler: answerClientError, frameworkErrors: answerFrameworkError }), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await entry.configure?.(app, config);
  return app;
}

export async function runService<C extends ServiceConfig>(entry: ServiceEntry<C>, argv = process.argv.slice(2)): Promise<void> {
  // Migrating needs the database and nothing else (no NATS credentials, no keys): only those settings are read.
  const migrating = argv[0] === 'migrate';
  let config: C | DatabaseConfig;
  try {
    config = migrating ? loadConfig(DatabaseConfig) : entry.loadConfig();
    if (!migrating) assertTestClockAllowed(config as C);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${entry.service}: ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  if (migrating) {
    const ran = await runMigrations({
      url: config.DATABASE_URL,
      schema: schemaOf(entry.service),
      entities: entry.entities,
      migrations: entry.migrations,
    });
    process.stdout.write(`${entry.service}: ${ran.length ? `ran ${ran.join(', ')}` : 'schema is up to date'}\n`);
    return;
  }
  const serving = config as C;
  const app: INestApplication = await createServiceApp(entry, serving);
  // On SIGTERM/SIGINT: stop taking work, let in-flight handlers and requests finish, close connections,
  // then exit 0. A second signal exits at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`${entry.service}: ${signal}, draining\n`);
    app.close().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`${entry.service}: shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    await app.listen(serving.PORT, serving.HOST);
  } catch (e) {
    // A stop signal during start-up closes the app under listen(): that is a stop, not a failure.
    if (!stopping) throw e;
  }
}
