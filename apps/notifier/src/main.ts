// First: with tracing on, pg must be patched before anything loads it.
import '@vantage/observability/tracing-preload';
import 'reflect-metadata';
import { runService, ServiceEntry } from '@vantage/runtime';
import { AppModule, ENTITIES } from './app.module';
import { NotifierConfig, loadNotifierConfig } from './config';
import { MIGRATIONS } from './migrations';

export const NOTIFIER: ServiceEntry<NotifierConfig> = {
  service: 'notifier',
  loadConfig: () => loadNotifierConfig(),
  module: (config) => AppModule.forRoot(config),
  entities: ENTITIES,
  migrations: MIGRATIONS,
};

if (require.main === module) {
  runService(NOTIFIER).catch((e) => {
    process.stderr.write(`notifier failed to start: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
