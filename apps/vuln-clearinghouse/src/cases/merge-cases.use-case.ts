// An analyst's correction to deduplication: a near-duplicate merged into a case. One transaction: refused
// (404/403/409/422) before anything is written, or done completely with its history entries and events.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CaseMerged, CaseStateChanged, CaseView, MergeCasesRequest } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { mayRead, requireAnalyst } from './case-access';
import { checkMergePair, merge } from './case-merge';
import { CaseStore } from './case-store';
import { FindingStore } from './finding-store';

export type MergeCasesCommand = MergeCasesRequest & { caller: CallerIdentity };

@Injectable()
export class MergeCasesUseCase implements UseCase<MergeCasesCommand, CaseView> {
  constructor(
    private readonly cases: CaseStore,
    private readonly findings: FindingStore,
    private readonly clock: Clock,
  ) {}

  /** Merges `absorbedCaseId` into `caseId`; the surviving case keeps the stricter embargo (see case-merge.ts). */
  async execute({ caseId, absorbedCaseId: absorbedId, note, caller }: MergeCasesCommand, tx: EntityManager): Promise<CaseView> {
    // A stranger learns nothing (404); someone with need-to-know but no analyst role is refused (403).
    mayRead(await this.cases.access(tx, caseId, caller.orgId), caller);
    requireAnalyst(caller, 'only clearinghouse analysts merge and split cases');
    checkMergePair(caseId, absorbedId);
    const locked = await this.cases.lockAll(tx, [caseId, absorbedId]);
    const target = locked.get(caseId)!;
    const absorbed = locked.get(absorbedId);
    const embargo = merge(target, absorbed);

    const now = this.clock.now();
    const moved = await this.findings.moveAll(tx, absorbedId, caseId);
    await this.cases.absorb(tx, caseId, absorbedId);
    await this.cases.setEmbargo(tx, caseId, embargo, now);
    if (embargo.deadlineMoved) await this.cases.rescheduleDeadline(tx, caseId, embargo.deadlineAt, now);
    await this.cases.setState(tx, absorbedId, 'duplicate', now);
    await this.cases.endEmbargo(tx, absorbedId);
    await this.cases.history(tx, absorbedId, { from: absorbed!.state, to: 'duplicate', actor: caller.orgId, note: `merged into ${caseId}: ${note}`, at: now });
    await this.cases.history(tx, caseId, {
      from: target.state, to: target.state, actor: caller.orgId, note: `merged ${absorbedId} (${moved.length} findings): ${note}`, at: now,
    });

    await this.cases.announce(tx, CaseStateChanged, absorbedId, {
      caseId: absorbedId, title: absorbed!.title, state: 'duplicate', from: absorbed!.state, note: `merged into ${caseId}: ${note}`.slice(0, 2000), changedAt: now.toISOString(),
    });
    await this.cases.announce(tx, CaseMerged, caseId, {
      caseId, title: target.title, state: target.state, absorbedCaseId: absorbedId, movedFindingIds: moved, note, mergedAt: now.toISOString(),
    });
    return this.cases.view(tx, caseId);
  }
}
