// First: with tracing on, pg must be patched before anything loads it.
import '@vantage/observability/tracing-preload';
import 'reflect-metadata';
import { runService, ServiceEntry } from '@vantage/runtime';
import { AppModule, ENTITIES } from './app.module';
import { loadWindowSchedulerConfig, WindowSchedulerConfig } from './config';
import { MIGRATIONS } from './migrations';

export const WINDOW_SCHEDULER: ServiceEntry<WindowSchedulerConfig> = {
  service: 'window-scheduler',
  loadConfig: () => loadWindowSchedulerConfig(),
  module: (config) => AppModule.forRoot(config),
  entities: ENTITIES,
  migrations: MIGRATIONS,
};

if (require.main === module) {
  runService(WINDOW_SCHEDULER).catch((e) => {
    process.stderr.write(`window-scheduler failed to start: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
