import { Module } from '@nestjs/common';
import { RecordSubmissionUseCase } from './record-submission.use-case';
import { SubmissionsHandlers } from './submissions.handlers';

@Module({ providers: [RecordSubmissionUseCase, SubmissionsHandlers] })
export class SubmissionsModule {}
