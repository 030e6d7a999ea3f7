// An embargo reminder or the deadline itself, announced to need-to-know while the embargo runs.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CaseDeadlineApproaching, CaseDeadlineReached } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { CaseStore } from './case-store';
import { embargoRuns } from './case-workflow';

export interface AnnounceDeadlineCommand {
  caseId: string;
  /** The deadline itself, not a reminder before it. */
  reached: boolean;
  /** A reminder's time left, as its timer says it (`7d`, `1d`). */
  remaining?: string;
}

@Injectable()
export class AnnounceDeadlineUseCase implements UseCase<AnnounceDeadlineCommand> {
  constructor(private readonly cases: CaseStore) {}

  async execute({ caseId, reached, remaining }: AnnounceDeadlineCommand, tx: EntityManager): Promise<void> {
    const c = await this.cases.head(tx, caseId);
    if (!c || !embargoRuns(c.state)) return;
    await this.cases.announce(tx, reached ? CaseDeadlineReached : CaseDeadlineApproaching, c.id, {
      caseId: c.id, title: c.title, state: c.state, deadlineAt: c.deadlineAt.toISOString(), reached, ...(remaining ? { remaining } : {}),
    });
  }
}
