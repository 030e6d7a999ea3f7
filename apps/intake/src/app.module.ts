import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule, ServiceCoreOptions } from '@vantage/runtime';
import { IntakeConfig } from './config';
import { MIGRATIONS } from './migrations';
import { Submission } from './submissions/submission.entity';
import { SubmissionsModule } from './submissions/submissions.module';

export const ENTITIES = [Submission];

@Module({})
export class AppModule {
  static forRoot(config: IntakeConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({ service: 'intake', config, entities: ENTITIES, migrations: MIGRATIONS, ...opts }),
        SubmissionsModule,
      ],
    };
  }
}
