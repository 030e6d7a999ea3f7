import { Module } from '@nestjs/common';
import { EndSubmissionUseCase } from './end-submission.use-case';
import { ListSubmissionsUseCase } from './list-submissions.use-case';
import { ReceiveSubmissionUseCase } from './receive-submission.use-case';
import { SubmissionEndpointHandlers } from './submission-endpoint.handlers';
import { SubmissionFactsHandlers } from './submission-facts.handlers';
import { SubmissionsController } from './submissions.controller';
import { UpdateSubmissionUseCase } from './update-submission.use-case';

@Module({
  controllers: [SubmissionsController],
  providers: [
    ReceiveSubmissionUseCase, UpdateSubmissionUseCase, EndSubmissionUseCase, ListSubmissionsUseCase,
    SubmissionEndpointHandlers, SubmissionFactsHandlers,
  ],
  exports: [ReceiveSubmissionUseCase],
})
export class SubmissionsModule {}
