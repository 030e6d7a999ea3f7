import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { GetSubmissionEndpointUseCase } from './get-submission-endpoint.use-case';
import { GetSubmissionFactsUseCase } from './get-submission-facts.use-case';
import { GetSubmissionUseCase } from './get-submission.use-case';
import { ListSubmissionsUseCase } from './list-submissions.use-case';
import { ReceiveSubmissionUseCase } from './receive-submission.use-case';
import { ReleaseSubmissionUseCase } from './release-submission.use-case';
import { SubmissionEndpointHandlers } from './submission-endpoint.handlers';
import { SubmissionFactsHandlers } from './submission-facts.handlers';
import { SubmissionStore } from './submission-store';
import { SubmissionsController } from './submissions.controller';
import { UpdateSubmissionUseCase } from './update-submission.use-case';
import { WithdrawSubmissionUseCase } from './withdraw-submission.use-case';

@Module({
  imports: [OrgsModule],
  controllers: [SubmissionsController],
  providers: [
    SubmissionStore,
    ReceiveSubmissionUseCase, UpdateSubmissionUseCase, WithdrawSubmissionUseCase, ReleaseSubmissionUseCase, ListSubmissionsUseCase,
    GetSubmissionUseCase, GetSubmissionEndpointUseCase, GetSubmissionFactsUseCase,
    SubmissionEndpointHandlers, SubmissionFactsHandlers,
  ],
  exports: [SubmissionStore, ReceiveSubmissionUseCase],
})
export class SubmissionsModule {}
