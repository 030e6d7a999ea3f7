import { DynamicModule, Module } from '@nestjs/common';
import { SecretBox } from '@vantage/crypto';
import { ClassRef } from '@vantage/persistence';
import { ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { NotifierConfig } from './config';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { EventsModule } from './events/events.module';
import { FeedsModule } from './feeds/feeds.module';
import { MIGRATIONS } from './migrations';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

// The notifier reads and writes its tables with SQL (leases, SKIP LOCKED, batch inserts): no entities.
export const ENTITIES: ClassRef[] = [];

@Module({})
export class AppModule {
  static forRoot(config: NotifierConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ServiceCoreModule.forRoot({ service: 'notifier', config, entities: ENTITIES, migrations: MIGRATIONS, ...opts }),
        SubscriptionsModule,
        DeliveriesModule,
        FeedsModule,
        EventsModule,
      ],
      providers: [{ provide: SecretBox, useFactory: () => SecretBox.fromSetting(config.VANTAGE_ENCRYPTION_KEYS) }],
      exports: [SecretBox],
    };
  }
}
