// A submission's runs with their scores, as far as the caller may read them (see decision-visibility.ts).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, ForbiddenError, NotFoundError, RunView } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { mayReadRuns, mayReadSuite } from './decision-visibility';
import { runView } from './run';
import { RunStore } from './run-store';

export interface ListRunsCommand {
  caller: CallerIdentity;
  submissionId: string;
}

@Injectable()
export class ListRunsUseCase implements UseCase<ListRunsCommand, { items: RunView[] }> {
  constructor(private readonly runs: RunStore) {}

  async execute({ caller, submissionId }: ListRunsCommand, tx: EntityManager): Promise<{ items: RunView[] }> {
    // Only an agency's grant matters, so only an agency's is looked up.
    const granted = caller.kind === 'agency' && (await this.runs.hasGrant(tx, submissionId, caller.orgId));
    const may = mayReadRuns(caller, granted);
    if (may === 'forbidden') throw new ForbiddenError('only operators and cleared agencies may read runs');
    if (may === 'not found') throw new NotFoundError('submission');
    const rows = await this.runs.runsOf(tx, submissionId);
    // Per suite: an agency sees the runs of the suites its clearance covers, and nothing of the others.
    return { items: rows.filter((r) => mayReadSuite(caller, r.classification)).map(runView) };
  }
}
