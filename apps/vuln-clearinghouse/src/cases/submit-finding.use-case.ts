// A finding arrives: checked, scored, fingerprinted, and either joined to the open case of the same
// vulnerability (duplicate) or opening a new one — linked to near-duplicates, matched to vendors, with its
// disclosure deadline set. The proof of concept is sealed at rest and appears in no event.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CaseDuplicateFound, CaseOpened, SubmitFindingRequest, SubmittedFinding } from '@vantage/contracts';
import { RpcIdempotency } from '@vantage/messaging';
import { IdempotencyKeys } from '@vantage/persistence';
import { UseCase } from '@vantage/runtime';
import { requireReporter } from './case-access';
import { CaseStore } from './case-store';
import { disclosureDeadline } from './case-workflow';
import { CheckedFinding, checkFinding } from './check-finding';
import { FindingStore } from './finding-store';
import { fingerprintOf } from './fingerprint';
import { VendorStore } from './vendor-store';

export type SubmitFindingCommand = SubmitFindingRequest & {
  caller: CallerIdentity;
  /** With it, a repeat of the same key and body answers the first answer and records nothing. */
  idempotency?: RpcIdempotency;
};

interface Prepared {
  checked: CheckedFinding;
  primary: string;
  fingerprint: string;
  now: Date;
  findingId: string;
}

@Injectable()
export class SubmitFindingUseCase implements UseCase<SubmitFindingCommand, SubmittedFinding> {
  constructor(
    private readonly cases: CaseStore,
    private readonly findings: FindingStore,
    private readonly vendors: VendorStore,
    private readonly clock: Clock,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  async execute(command: SubmitFindingCommand, tx: EntityManager): Promise<SubmittedFinding> {
    const { caller, idempotency } = command;
    requireReporter(caller);
    const checked = checkFinding(command);
    const primary = checked.productKeys[0];
    const fingerprint = fingerprintOf(primary, checked.cwe, command.location);
    const now = this.clock.now();
    const findingId = uuidv7({ msecs: now.getTime() });
    const claim = idempotency && { orgId: caller.orgId, ...idempotency };
    return (await this.idempotencyKeys.run(tx, claim, now, () => this.record(tx, command, { checked, primary, fingerprint, now, findingId }))).body;
  }

  private async record(tx: EntityManager, f: SubmitFindingCommand, { checked, primary, fingerprint, now, findingId }: Prepared): Promise<SubmittedFinding> {
    const { caller } = f;
    await this.cases.lockFingerprint(tx, fingerprint);
    const open = await this.cases.openCaseWithFingerprint(tx, fingerprint);
    let caseId: string;
    if (open) {
      caseId = open.id;
    } else {
      caseId = uuidv7({ msecs: now.getTime() });
      const exploited = f.exploitedInWild ?? false;
      const deadline = disclosureDeadline(now, exploited);
      await this.cases.insert(tx, {
        id: caseId, fingerprint, productKey: primary, cwe: checked.cwe ?? null, title: f.title, state: 'new', severity: checked.severity,
        exploitedInWild: exploited, reportedAt: now, deadlineAt: deadline, updatedAt: now,
      });
      await this.cases.history(tx, caseId, { from: null, to: 'new', actor: caller.orgId, note: 'reported', at: now });
      // Near-duplicates: the same package and weakness elsewhere in the code, linked for an analyst.
      const related = await this.cases.openRelated(tx, primary, checked.cwe ?? null, caseId);
      await this.cases.link(tx, caseId, related);
      // Vendors whose purl prefixes cover an affected package.
      for (const v of await this.vendors.covering(tx, checked.purls)) await this.cases.attachVendor(tx, caseId, v, 'unknown');
      await this.cases.scheduleDeadline(tx, caseId, deadline, now);
      await this.cases.grant(tx, caseId, caller.orgId, 'reporter');
      await this.cases.announce(tx, CaseOpened, caseId, {
        caseId, title: f.title, state: 'new', findingId, baseSeverity: checked.severity.baseSeverity, deadlineAt: deadline.toISOString(), relatedCaseIds: related,
      });
    }
    await this.findings.insert(tx, {
      id: findingId, caseId, reporterOrgId: caller.orgId, title: f.title, description: f.description, affected: f.affected, cwe: checked.cwe ?? null,
      severity: checked.severity, location: f.location ?? null, proofOfConcept: f.proofOfConcept, discoveredWith: f.discoveredWith ?? null,
      exploitedInWild: f.exploitedInWild ?? false, fingerprint, reportedAt: now,
    });
    if (open) {
      await this.cases.grant(tx, caseId, caller.orgId, 'reporter');
      await this.cases.announce(tx, CaseDuplicateFound, caseId, { caseId, title: open.title, state: open.state, findingId, reporterOrgId: caller.orgId });
    }
    return {
      findingId,
      caseId,
      duplicate: !!open,
      severity: { version: checked.severity.version, baseScore: checked.severity.baseScore, baseSeverity: checked.severity.baseSeverity },
    };
  }
}
