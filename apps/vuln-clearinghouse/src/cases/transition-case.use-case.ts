// The analyst's moves on a case: only legal ones (409 otherwise, nothing changed), each recorded in the
// append-only history with who, when and why.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import {
  CallerIdentity, CaseDisclosed, CaseStateChanged, CaseVendorNotified, CaseView, NotFoundError, TransitionCaseRequest,
} from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { requireAnalyst } from './case-access';
import { CaseStore } from './case-store';
import { move } from './case-workflow';

export type TransitionCaseCommand = TransitionCaseRequest & { caller: CallerIdentity };

@Injectable()
export class TransitionCaseUseCase implements UseCase<TransitionCaseCommand, CaseView> {
  constructor(
    private readonly cases: CaseStore,
    private readonly clock: Clock,
  ) {}

  async execute({ caseId, to, note, caller }: TransitionCaseCommand, tx: EntityManager): Promise<CaseView> {
    requireAnalyst(caller, 'only clearinghouse analysts move cases');
    const c = await this.cases.lock(tx, caseId);
    if (!c) throw new NotFoundError('case');
    const m = move(c.state, to);
    const now = this.clock.now();
    await this.cases.setState(tx, caseId, to, now);
    await this.cases.history(tx, caseId, { from: c.state, to, actor: caller.orgId, note, at: now });
    const ref = { caseId, title: c.title, state: to };
    await this.cases.announce(tx, CaseStateChanged, caseId, { ...ref, from: c.state, note, changedAt: now.toISOString() }, m.discloses);
    if (m.notifiesVendors) {
      for (const v of await this.cases.vendorsOf(tx, caseId)) {
        await this.cases.markVendorNotified(tx, caseId, v.id, now);
        await this.cases.announce(tx, CaseVendorNotified, caseId, { ...ref, vendorId: v.id, vendorName: v.name, deadlineAt: c.deadlineAt.toISOString() });
      }
    }
    if (m.endsEmbargo) await this.cases.endEmbargo(tx, caseId);
    if (m.discloses) await this.cases.announce(tx, CaseDisclosed, caseId, { ...ref, disclosedAt: now.toISOString() }, true);
    return this.cases.view(tx, caseId);
  }
}
