// An analyst moves the disclosure deadline later, with a reason; the reminders follow it.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CaseView, NotFoundError } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { requireAnalyst } from './case-access';
import { CaseStore } from './case-store';
import { extendEmbargo } from './case-workflow';

export interface ExtendEmbargoCommand {
  caseId: string;
  deadlineAt: Date;
  reason: string;
  caller: CallerIdentity;
}

@Injectable()
export class ExtendEmbargoUseCase implements UseCase<ExtendEmbargoCommand, CaseView> {
  constructor(
    private readonly cases: CaseStore,
    private readonly clock: Clock,
  ) {}

  async execute({ caseId, deadlineAt, reason, caller }: ExtendEmbargoCommand, tx: EntityManager): Promise<CaseView> {
    requireAnalyst(caller, 'only clearinghouse analysts move cases');
    const c = await this.cases.lock(tx, caseId);
    if (!c) throw new NotFoundError('case');
    const { note } = extendEmbargo(c, deadlineAt, reason);
    const now = this.clock.now();
    await this.cases.setDeadline(tx, caseId, deadlineAt, now);
    await this.cases.history(tx, caseId, { from: c.state, to: c.state, actor: caller.orgId, note, at: now });
    await this.cases.rescheduleDeadline(tx, caseId, deadlineAt, now);
    return this.cases.view(tx, caseId);
  }
}
