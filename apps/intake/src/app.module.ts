import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LookupFunction } from 'node:net';
import { ApiKeyGuard, FailedAuthLimit } from '@vantage/auth';
import { Clock } from '@vantage/clock';
import { SecretBox } from '@vantage/crypto';
import { OutboundModule, outboundOptions } from '@vantage/outbound';
import { createValidationPipe, ProblemDetailsFilter, ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { IntakeConfig } from './config';
import { FailedAuthLimiter } from './http/failed-auth-limiter';
import { Forwarder } from './http/forwarder';
import { Idempotency } from './http/idempotency';
import { KeyThrottlerGuard } from './http/key-throttler.guard';
import { SlidingWindowRateStorage } from './http/sliding-window-rate-storage';
import { MIGRATIONS } from './migrations';
import { ApiKey } from './orgs/api-key.entity';
import { Organisation } from './orgs/organisation.entity';
import { OrgsModule } from './orgs/orgs.module';
import { Submission } from './submissions/submission.entity';
import { SubmissionsModule } from './submissions/submissions.module';
import { WindowsModule } from './windows/windows.module';
import { AccessModule } from './access/access.module';
import { CasesModule } from './cases/cases.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { EventsModule } from './events/events.module';
import { SuitesModule } from './suites/suites.module';
import { FeedsModule } from './feeds/feeds.module';
import { MeModule } from './me/me.module';
import { DocsModule } from './docs/docs.module';

export const ENTITIES = [Organisation, ApiKey, Submission];

@Module({})
export class AppModule {
  /** `lookup`: how the labs' endpoint hosts are resolved (tests); the system's resolver by default. */
  static forRoot(config: IntakeConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> & { lookup?: LookupFunction } = {}): DynamicModule {
    const { lookup, ...core } = opts;
    return {
      module: AppModule,
      global: true,
      imports: [
        ServiceCoreModule.forRoot({ service: 'intake', config, entities: ENTITIES, migrations: MIGRATIONS, ...core }),
        OutboundModule.forRoot({ ...outboundOptions(config), lookup }),
        ThrottlerModule.forRootAsync({
          inject: [Clock],
          useFactory: (clock: Clock) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
            storage: new SlidingWindowRateStorage(clock),
          }),
        }),
        OrgsModule,
        SubmissionsModule,
        WindowsModule,
        AccessModule,
        CasesModule,
        SubscriptionsModule,
        EventsModule,
        SuitesModule,
        FeedsModule,
        MeModule,
        DocsModule,
      ],
      providers: [
        { provide: SecretBox, useFactory: () => SecretBox.fromSetting(config.VANTAGE_ENCRYPTION_KEYS) },
        Forwarder,
        Idempotency,
        { provide: FailedAuthLimit, useClass: FailedAuthLimiter },
        // Order matters: who is calling (and how often an address fails to say), then how often a key calls.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: KeyThrottlerGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: [SecretBox, Forwarder, Idempotency],
    };
  }
}
