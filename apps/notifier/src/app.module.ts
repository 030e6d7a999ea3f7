import { DynamicModule, Module } from '@nestjs/common';
import { ClassRef } from '@vantage/persistence';
import { ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { NotifierConfig } from './config';
import { MIGRATIONS } from './migrations';

export const ENTITIES: ClassRef[] = [];

@Module({})
export class AppModule {
  static forRoot(config: NotifierConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'notifier', config, entities: ENTITIES, migrations: MIGRATIONS, ...opts })],
    };
  }
}
