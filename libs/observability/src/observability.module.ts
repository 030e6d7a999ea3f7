import { DynamicModule, Global, Module, NestModule, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { excludeFromGlobalPrefix } from './global-prefix';
import { HealthController } from './health.controller';
import { instrumentHttp } from './http-tracing';
import { loggerParams } from './logger-params';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { DEFAULT_READINESS_TIMEOUT_MS, ReadinessRegistry } from './readiness-registry';
import { flushTracing, startTracing } from './tracing';

export interface ObservabilityOptions {
  service: string;
  logLevel: string;
  /** Process metrics (CPU, memory, event loop, GC) on `/metrics`. */
  defaultMetrics?: boolean;
  /** Where log lines go instead of stdout (tests capture them). */
  logStream?: DestinationStream;
  /** How long each readiness check may take before it counts as failed. */
  readinessTimeoutMs?: number;
  /** OTLP/HTTP traces endpoint; unset, spans are not recorded (tracing.ts). */
  traceExportUrl?: string;
}

@Global()
@Module({})
export class ObservabilityModule implements NestModule, OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly appConfig: ApplicationConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
  ) {}

  static forRoot(options: ObservabilityOptions): DynamicModule {
    startTracing({ service: options.service, exportTo: options.traceExportUrl });
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRoot(loggerParams(options)), TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: Metrics, useFactory: () => new Metrics({ service: options.service, defaultMetrics: options.defaultMetrics }) },
        { provide: ReadinessRegistry, useFactory: () => new ReadinessRegistry(options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS) },
      ],
      exports: [Metrics, ReadinessRegistry],
    };
  }

  // Not for middleware: it is the one hook that runs after main.ts sets a global prefix and before
  // the routes are registered under it.
  configure(): void {
    excludeFromGlobalPrefix(this.appConfig);
  }

  onModuleInit(): void {
    // Absent in a standalone application context (a CLI, a worker without HTTP).
    const adapter = this.adapterHost.httpAdapter;
    if (adapter) instrumentHttp(adapter, this.metrics);
  }

  /** What was recorded goes out before the process ends. */
  async onApplicationShutdown(): Promise<void> {
    await flushTracing();
  }
}
