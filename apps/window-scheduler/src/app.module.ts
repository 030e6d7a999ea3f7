import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { WindowSchedulerConfig } from './config';
import { MIGRATIONS } from './migrations';
import { ScheduledSubmission } from './submissions/scheduled-submission.entity';
import { SubmissionsModule } from './submissions/submissions.module';

export const ENTITIES = [ScheduledSubmission];

@Module({})
export class AppModule {
  static forRoot(config: WindowSchedulerConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({ service: 'window-scheduler', config, entities: ENTITIES, migrations: MIGRATIONS, ...opts }),
        SubmissionsModule,
      ],
    };
  }
}
