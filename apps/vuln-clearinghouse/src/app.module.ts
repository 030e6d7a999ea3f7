import { DynamicModule, Module } from '@nestjs/common';
import { SecretBox } from '@vantage/crypto';
import { ClassRef } from '@vantage/persistence';
import { ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { SchedulingModule } from '@vantage/scheduling';
import { CasesModule } from './cases/cases.module';
import { VulnClearinghouseConfig } from './config';
import { MIGRATIONS } from './migrations';

export const ENTITIES: ClassRef[] = [];

@Module({})
export class AppModule {
  static forRoot(config: VulnClearinghouseConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ServiceCoreModule.forRoot({ service: 'vuln-clearinghouse', config, entities: ENTITIES, migrations: MIGRATIONS, ...opts }),
        SchedulingModule.forRoot({ pollMs: config.TIMER_POLL_MS }),
        CasesModule,
      ],
      providers: [{ provide: SecretBox, useFactory: () => SecretBox.fromSetting(config.VANTAGE_ENCRYPTION_KEYS) }],
      exports: [SecretBox],
    };
  }
}
