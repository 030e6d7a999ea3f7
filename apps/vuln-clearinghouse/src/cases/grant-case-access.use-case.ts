// An analyst adds an organisation to the need-to-know list of a case, in its history.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CaseView, GrantCaseAccessRequest, NotFoundError } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { requireAnalyst } from './case-access';
import { CaseStore } from './case-store';

export type GrantCaseAccessCommand = GrantCaseAccessRequest & { caller: CallerIdentity };

@Injectable()
export class GrantCaseAccessUseCase implements UseCase<GrantCaseAccessCommand, CaseView> {
  constructor(
    private readonly cases: CaseStore,
    private readonly clock: Clock,
  ) {}

  async execute({ caseId, orgId, caller }: GrantCaseAccessCommand, tx: EntityManager): Promise<CaseView> {
    requireAnalyst(caller, 'only clearinghouse analysts move cases');
    const c = await this.cases.lock(tx, caseId);
    if (!c) throw new NotFoundError('case');
    await this.cases.grant(tx, caseId, orgId, 'added');
    await this.cases.history(tx, caseId, { from: c.state, to: c.state, actor: caller.orgId, note: `need-to-know granted to ${orgId}`, at: this.clock.now() });
    return this.cases.view(tx, caseId);
  }
}
