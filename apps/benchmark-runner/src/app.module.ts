import { DynamicModule, Module } from '@nestjs/common';
import { SecretBox } from '@vantage/crypto';
import { ClassRef } from '@vantage/persistence';
import { ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { BenchmarkRunnerConfig } from './config';
import { MIGRATIONS } from './migrations';
import { RunsModule } from './runs/runs.module';

// The runner reads and writes with plain SQL (see runs/run-store.ts); it maps no entities.
export const ENTITIES: ClassRef[] = [];

@Module({})
export class AppModule {
  static forRoot(config: BenchmarkRunnerConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [ServiceCoreModule.forRoot({ service: 'benchmark-runner', config, entities: ENTITIES, migrations: MIGRATIONS, ...opts }), RunsModule],
      providers: [{ provide: SecretBox, useFactory: () => SecretBox.fromSetting(config.VANTAGE_ENCRYPTION_KEYS) }],
      exports: [SecretBox],
    };
  }
}
