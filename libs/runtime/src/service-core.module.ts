// Everything a Vantage service stands on, in one import: config, clock, logs/metrics/health, its own
// Postgres schema through TypeORM, and NATS messaging.
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, ClockModule, SystemClock } from '@vantage/clock';
import { ServiceConfig } from '@vantage/config';
import { MessagingModule } from '@vantage/messaging';
import { ObservabilityModule, PostgresReadiness } from '@vantage/observability';
import { ClassRef, IdempotencyKeys, schemaOf, serviceDataSourceOptions, ServiceName } from '@vantage/persistence';
import { Writable } from 'node:stream';
import { IdempotencyKeyPurge } from './idempotency-key-purge';
import { serviceClock, TEST_CLOCK_SERVICE, TestClockControl } from './test-clock-control';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export interface ServiceCoreOptions {
  service: ServiceName;
  config: ServiceConfig;
  entities: ClassRef[];
  migrations: ClassRef[];
  clock?: Clock;
  /** Where logs go instead of stdout (tests capture them). */
  logStream?: Writable;
}

@Module({})
export class ServiceCoreModule {
  static forRoot(opts: ServiceCoreOptions): DynamicModule {
    const { service, config } = opts;
    const clock = opts.clock ?? serviceClock(config) ?? new SystemClock();
    return {
      module: ServiceCoreModule,
      global: true,
      imports: [
        ClockModule.forRoot(clock),
        ObservabilityModule.forRoot({ service, logLevel: config.LOG_LEVEL, defaultMetrics: true, logStream: opts.logStream, traceExportUrl: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT }),
        TypeOrmModule.forRoot(
          serviceDataSourceOptions({
            url: config.DATABASE_URL,
            schema: schemaOf(service),
            entities: opts.entities,
            migrations: opts.migrations,
            poolSize: config.DATABASE_POOL_SIZE,
            applicationName: service,
          }),
        ),
        MessagingModule.forRoot({ service, config }),
      ],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: TEST_CLOCK_SERVICE, useValue: service },
        PostgresReadiness,
        TestClockControl,
        { provide: IdempotencyKeys, useValue: new IdempotencyKeys(config.IDEMPOTENCY_KEY_TTL_HOURS * 3600 * 1000) },
        IdempotencyKeyPurge,
      ],
      exports: [SERVICE_CONFIG, IdempotencyKeys],
    };
  }
}
