import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { SchedulingModule } from '@vantage/scheduling';
import { WindowSchedulerConfig } from './config';
import { MIGRATIONS } from './migrations';
import { ScheduledSubmission } from './submissions/scheduled-submission.entity';
import { AgencyRow, GrantRow, WindowRow } from './windows/window.entity';
import { WindowsModule } from './windows/windows.module';

export const ENTITIES = [ScheduledSubmission, WindowRow, GrantRow, AgencyRow];

@Module({})
export class AppModule {
  static forRoot(config: WindowSchedulerConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({ service: 'window-scheduler', config, entities: ENTITIES, migrations: MIGRATIONS, ...opts }),
        SchedulingModule.forRoot({ pollMs: config.TIMER_POLL_MS }),
        WindowsModule,
      ],
    };
  }
}
