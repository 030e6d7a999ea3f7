// First: with tracing on, pg must be patched before anything loads it.
import '@vantage/observability/tracing-preload';
import 'reflect-metadata';
import { runService, ServiceEntry } from '@vantage/runtime';
import { AppModule, ENTITIES } from './app.module';
import { BenchmarkRunnerConfig, loadBenchmarkRunnerConfig } from './config';
import { MIGRATIONS } from './migrations';

export const BENCHMARK_RUNNER: ServiceEntry<BenchmarkRunnerConfig> = {
  service: 'benchmark-runner',
  loadConfig: () => loadBenchmarkRunnerConfig(),
  module: (config) => AppModule.forRoot(config),
  entities: ENTITIES,
  migrations: MIGRATIONS,
};

if (require.main === module) {
  runService(BENCHMARK_RUNNER).catch((e) => {
    process.stderr.write(`benchmark-runner failed to start: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
