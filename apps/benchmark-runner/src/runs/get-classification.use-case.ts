// The frontier decision on a submission, as the caller may read it: not found until decided, and not found either
// for a caller who may not read it, so that a stranger cannot tell a decided submission from one that does not exist.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, ClassificationView, NotFoundError } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { SubmissionStore } from '../submissions/submission-store';
import { decisionAsSeenBy, mayReadDecision, mayReadSuite } from './decision-visibility';
import { RunStore } from './run-store';

export interface GetClassificationCommand {
  caller: CallerIdentity;
  submissionId: string;
}

@Injectable()
export class GetClassificationUseCase implements UseCase<GetClassificationCommand, ClassificationView> {
  constructor(
    private readonly runs: RunStore,
    private readonly submissions: SubmissionStore,
  ) {}

  async execute({ caller, submissionId }: GetClassificationCommand, tx: EntityManager): Promise<ClassificationView> {
    const submission = await this.submissions.load(tx, submissionId);
    const granted = await this.runs.hasGrant(tx, submissionId, caller.orgId);
    if (!mayReadDecision(caller, { labId: submission?.labId, granted })) throw new NotFoundError('classification');
    const decision = await this.runs.decision(tx, submissionId);
    if (!decision) throw new NotFoundError('classification');
    return { submissionId, ...decisionAsSeenBy(decision, (classification) => mayReadSuite(caller, classification)) };
  }
}
