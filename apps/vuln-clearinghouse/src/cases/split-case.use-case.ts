// An analyst's correction to deduplication: findings that are a different bug split out of a case into a new one.
// One transaction: refused (404/403/409/422) before anything is written, or done completely with its history
// entries and events.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CaseOpened, CaseSplit, CaseView, SplitCaseRequest } from '@vantage/contracts';
import { RpcIdempotency } from '@vantage/messaging';
import { IdempotencyKeys } from '@vantage/persistence';
import { UseCase } from '@vantage/runtime';
import { mayRead, requireAnalyst } from './case-access';
import { split } from './case-merge';
import { CaseStore } from './case-store';
import { FindingStore } from './finding-store';

export type SplitCaseCommand = SplitCaseRequest & {
  caller: CallerIdentity;
  /** With it, a repeat of the same key and body answers the first split's new case and moves nothing. */
  idempotency?: RpcIdempotency;
};

@Injectable()
export class SplitCaseUseCase implements UseCase<SplitCaseCommand, CaseView> {
  constructor(
    private readonly cases: CaseStore,
    private readonly findings: FindingStore,
    private readonly clock: Clock,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  /**
   * Moves `findingIds` out of `caseId` into a new case, `triaged` (an analyst has looked at it), fingerprinted from
   * the earliest-reported moved finding, linked as related, under the source case's current deadline (see
   * case-merge.ts).
   */
  async execute(command: SplitCaseCommand, tx: EntityManager): Promise<CaseView> {
    const claim = command.idempotency && { orgId: command.caller.orgId, ...command.idempotency };
    return (await this.idempotencyKeys.run(tx, claim, this.clock.now(), () => this.splitIn(command, tx))).body;
  }

  private async splitIn({ caseId, findingIds, note, caller }: SplitCaseCommand, tx: EntityManager): Promise<CaseView> {
    // A stranger learns nothing (404); someone with need-to-know but no analyst role is refused (403).
    mayRead(await this.cases.access(tx, caseId, caller.orgId), caller);
    requireAnalyst(caller, 'only clearinghouse analysts merge and split cases');
    const source = (await this.cases.lockAll(tx, [caseId])).get(caseId)!;
    const plan = split(source, await this.findings.ofCase(tx, caseId), findingIds);
    const { moving, first, severity, deadlineAt } = plan;
    const movedIds = moving.map((f) => f.id);

    const now = this.clock.now();
    const newId = uuidv7({ msecs: now.getTime() });
    await this.cases.insert(tx, {
      id: newId, fingerprint: first.fingerprint, productKey: plan.productKey, cwe: first.cwe, title: first.title, state: 'triaged', severity,
      exploitedInWild: plan.exploitedInWild, reportedAt: first.reportedAt, deadlineAt, updatedAt: now,
    });
    await this.findings.move(tx, movedIds, newId);
    // Need-to-know: the moved findings' reporters, plus the source's vendors and analyst-added organisations.
    // Reporters of findings that stay are not added: the new case is no longer their report.
    await this.cases.grantReporters(tx, newId, moving.map((f) => f.reporterOrgId));
    await this.cases.shareCoordination(tx, newId, caseId);
    const related = await this.cases.openRelated(tx, plan.productKey, first.cwe, newId, caseId);
    await this.cases.link(tx, newId, related);
    await this.cases.scheduleDeadline(tx, newId, deadlineAt, now);
    await this.cases.touch(tx, caseId, now);
    await this.cases.history(tx, newId, { from: null, to: 'triaged', actor: caller.orgId, note: `split from ${caseId}: ${note}`, at: now });
    await this.cases.history(tx, caseId, { from: source.state, to: source.state, actor: caller.orgId, note: `split ${moving.length} findings into ${newId}: ${note}`, at: now });

    await this.cases.announce(tx, CaseSplit, caseId, {
      caseId, title: source.title, state: source.state, newCaseId: newId, movedFindingIds: movedIds, note, splitAt: now.toISOString(),
    });
    await this.cases.announce(tx, CaseOpened, newId, {
      caseId: newId, title: first.title, state: 'triaged', findingId: first.id, baseSeverity: severity.baseSeverity, deadlineAt: deadlineAt.toISOString(),
      relatedCaseIds: related,
    });
    return this.cases.view(tx, newId);
  }
}
