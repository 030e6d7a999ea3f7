import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

export interface GetSubmissionCommand {
  caller: CallerIdentity;
  id: string;
}

/** A submission as its caller may see it: a lab its own, an operator any; anything else is not found. */
@Injectable()
export class GetSubmissionUseCase implements UseCase<GetSubmissionCommand, Submission> {
  constructor(private readonly submissions: SubmissionStore) {}

  execute(command: GetSubmissionCommand, tx: EntityManager): Promise<Submission> {
    return this.submissions.requireVisible(tx, command.id, command.caller);
  }
}
