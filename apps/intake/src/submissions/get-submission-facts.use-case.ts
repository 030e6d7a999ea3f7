// Who owns a submission and what compute it declared; no credential.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotFoundError, SubmissionFacts } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { SubmissionStore } from './submission-store';

export interface GetSubmissionFactsCommand {
  submissionId: string;
}

@Injectable()
export class GetSubmissionFactsUseCase implements UseCase<GetSubmissionFactsCommand, SubmissionFacts> {
  constructor(private readonly submissions: SubmissionStore) {}

  async execute(command: GetSubmissionFactsCommand, tx: EntityManager): Promise<SubmissionFacts> {
    const s = await this.submissions.facts(tx, command.submissionId);
    if (!s) throw new NotFoundError('submission');
    return {
      submissionId: s.id,
      labId: s.labId,
      ...(s.declaredTrainingFlop === null ? {} : { declaredTrainingFlop: s.declaredTrainingFlop }),
      status: s.status,
    };
  }
}
