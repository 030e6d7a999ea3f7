// First: with tracing on, pg must be patched before anything loads it.
import '@vantage/observability/tracing-preload';
import 'reflect-metadata';
import { runService, ServiceEntry } from '@vantage/runtime';
import { AppModule, ENTITIES } from './app.module';
import { VulnClearinghouseConfig, loadVulnClearinghouseConfig } from './config';
import { MIGRATIONS } from './migrations';

export const VULN_CLEARINGHOUSE: ServiceEntry<VulnClearinghouseConfig> = {
  service: 'vuln-clearinghouse',
  loadConfig: () => loadVulnClearinghouseConfig(),
  module: (config) => AppModule.forRoot(config),
  entities: ENTITIES,
  migrations: MIGRATIONS,
};

if (require.main === module) {
  runService(VULN_CLEARINGHOUSE).catch((e) => {
    process.stderr.write(`vuln-clearinghouse failed to start: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
