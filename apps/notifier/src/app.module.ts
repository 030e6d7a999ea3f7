import { DynamicModule, Logger, Module } from '@nestjs/common';
import { LookupFunction } from 'node:net';
import { SecretBox } from '@vantage/crypto';
import { OutboundModule } from '@vantage/outbound';
import { ClassRef } from '@vantage/persistence';
import { ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { AudienceModule } from './audience/audience.module';
import { NotifierConfig, notifierOutboundOptions } from './config';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { EventsModule } from './events/events.module';
import { FeedsModule } from './feeds/feeds.module';
import { MIGRATIONS } from './migrations';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

// The notifier reads and writes its tables with SQL (leases, SKIP LOCKED, batch inserts): no entities.
export const ENTITIES: ClassRef[] = [];

@Module({})
export class AppModule {
  /** `lookup`: how webhook hosts are resolved (tests); the system's resolver by default. */
  static forRoot(config: NotifierConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> & { lookup?: LookupFunction } = {}): DynamicModule {
    const { lookup, ...core } = opts;
    if (config.WEBHOOK_ALLOWED_HOSTS) new Logger('NotifierConfig').warn('WEBHOOK_ALLOWED_HOSTS is deprecated: set OUTBOUND_ALLOWED_HOSTS instead (its hosts are admitted meanwhile)');
    return {
      module: AppModule,
      global: true,
      imports: [
        ServiceCoreModule.forRoot({ service: 'notifier', config, entities: ENTITIES, migrations: MIGRATIONS, ...core }),
        OutboundModule.forRoot({ ...notifierOutboundOptions(config), lookup }),
        AudienceModule,
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
