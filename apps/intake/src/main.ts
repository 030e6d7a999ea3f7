// First: with tracing on, pg must be patched before anything loads it.
import '@vantage/observability/tracing-preload';
import 'reflect-metadata';
import { runService, ServiceEntry } from '@vantage/runtime';
import { AppModule, ENTITIES } from './app.module';
import { IntakeConfig, loadIntakeConfig } from './config';
import { installOpenApi } from './http/openapi';
import { installSecurityHeaders } from './http/security-headers';
import { MIGRATIONS } from './migrations';

export const INTAKE: ServiceEntry<IntakeConfig> = {
  service: 'intake',
  loadConfig: () => loadIntakeConfig(),
  module: (config) => AppModule.forRoot(config),
  entities: ENTITIES,
  migrations: MIGRATIONS,
  bodyLimit: (config) => config.HTTP_BODY_LIMIT_BYTES,
  configure: (app, config) => {
    installSecurityHeaders(app);
    installOpenApi(app, config);
  },
};

if (require.main === module) {
  runService(INTAKE).catch((e) => {
    process.stderr.write(`intake failed to start: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
