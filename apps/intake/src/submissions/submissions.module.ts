import { Module } from '@nestjs/common';
import { ReceiveSubmissionUseCase } from './receive-submission.use-case';

@Module({
  providers: [ReceiveSubmissionUseCase],
  exports: [ReceiveSubmissionUseCase],
})
export class SubmissionsModule {}
