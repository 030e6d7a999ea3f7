import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { AccessLogStore } from './access-log-store';
import { AccessLogController } from './access-log.controller';
import { AccessReadModelHandlers } from './access-read-model.handlers';
import { AccessStore } from './access-store';
import { AccessController } from './access.controller';
import { ActiveStreams } from './active-streams';
import { AuthoriseAccessUseCase } from './authorise-access.use-case';
import { CheckAccessUseCase } from './check-access.use-case';
import { LabModelClient } from './lab-model-client';
import { ReadAccessLogUseCase } from './read-access-log.use-case';
import { RecordAccessUseCase } from './record-access.use-case';
import { TrackGrantUseCase } from './track-grant.use-case';
import { TrackWindowUseCase } from './track-window.use-case';

@Module({
  imports: [OrgsModule, SubmissionsModule],
  controllers: [AccessController, AccessLogController],
  providers: [
    AccessStore, AccessLogStore, ActiveStreams, LabModelClient,
    AuthoriseAccessUseCase, CheckAccessUseCase, RecordAccessUseCase, ReadAccessLogUseCase, TrackWindowUseCase, TrackGrantUseCase,
    AccessReadModelHandlers,
  ],
})
export class AccessModule {}
