import { DynamicModule, Module } from '@nestjs/common';
import { LookupFunction } from 'node:net';
import { SecretBox } from '@vantage/crypto';
import { OutboundModule, outboundOptions } from '@vantage/outbound';
import { ClassRef } from '@vantage/persistence';
import { ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { BenchmarkRunnerConfig } from './config';
import { MIGRATIONS } from './migrations';
import { RunsModule } from './runs/runs.module';

// The runner reads and writes with plain SQL, in its stores only (runs/run-store.ts, runs/trial-store.ts,
// suites/suite-store.ts, submissions/submission-store.ts); it maps no entities.
export const ENTITIES: ClassRef[] = [];

@Module({})
export class AppModule {
  /** `lookup`: how the labs' endpoint hosts are resolved (tests); the system's resolver by default. */
  static forRoot(config: BenchmarkRunnerConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> & { lookup?: LookupFunction } = {}): DynamicModule {
    const { lookup, ...core } = opts;
    return {
      module: AppModule,
      global: true,
      imports: [
        ServiceCoreModule.forRoot({ service: 'benchmark-runner', config, entities: ENTITIES, migrations: MIGRATIONS, ...core }),
        // Connections to a lab's endpoint are kept longer than elsewhere: a run calls it hundreds of times a second.
        OutboundModule.forRoot({ ...outboundOptions(config), keepAliveTimeoutMs: 30_000, lookup }),
        RunsModule,
      ],
      providers: [{ provide: SecretBox, useFactory: () => SecretBox.fromSetting(config.VANTAGE_ENCRYPTION_KEYS) }],
      exports: [SecretBox],
    };
  }
}
