// Keeps the runner's copy of a submission intake received: its owner and its declared compute.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UseCase } from '@vantage/runtime';
import { SubmissionFacts, SubmissionStore } from './submission-store';

export interface RecordSubmissionCommand extends SubmissionFacts {
  receivedAt: Date;
}

@Injectable()
export class RecordSubmissionUseCase implements UseCase<RecordSubmissionCommand> {
  constructor(private readonly submissions: SubmissionStore) {}

  async execute(command: RecordSubmissionCommand, tx: EntityManager): Promise<void> {
    await this.submissions.record(tx, command, command.receivedAt);
  }
}
