// A finding arrives: checked, scored, fingerprinted, and either joined to the open case of the same
// vulnerability (duplicate) or opening a new one — linked to near-duplicates, matched to vendors, with its
// disclosure deadline set. The proof of concept is sealed at rest and appears in no event.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import {
  CallerIdentity, CaseDuplicateFound, CaseOpened, ForbiddenError, SubmitFindingRequest, SubmittedFinding,
} from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { EventOutbox, RpcIdempotency } from '@vantage/messaging';
import { IdempotencyKeys } from '@vantage/persistence';
import { DurableTimers } from '@vantage/scheduling';
import { checkFinding } from './check-finding';
import { caseAudience } from './case-access';
import { deadlineTimers, disclosureDeadline, OPEN_STATES } from './case-workflow';

/** Same package, weakness and place in the code: the same vulnerability. */
export function fingerprintOf(productKey: string, cwe: string | undefined, location: { file?: string; function?: string } | undefined): string {
  const parts = [productKey, cwe ?? '', (location?.file ?? '').trim().replace(/^\.?\//, ''), (location?.function ?? '').trim()];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

@Injectable()
export class SubmitFindingUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly timers: DurableTimers,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  /** With `idempotency`, a repeat of the same key and body answers the first answer and records nothing. */
  async execute(f: SubmitFindingRequest, caller: CallerIdentity, idempotency?: RpcIdempotency): Promise<SubmittedFinding> {
    if (!['agency', 'lab', 'clearinghouse'].includes(caller.kind)) throw new ForbiddenError('findings come from agencies, labs and the clearinghouse');
    const checked = checkFinding(f);
    const primary = checked.productKeys[0];
    const fingerprint = fingerprintOf(primary, checked.cwe, f.location);
    const now = this.clock.now();
    const findingId = uuidv7({ msecs: now.getTime() });

    const claim = idempotency && { orgId: caller.orgId, ...idempotency };
    return this.dataSource.transaction(async (tx) =>
      (await this.idempotencyKeys.run(tx, claim, now, () => this.record(tx, f, caller, { checked, primary, fingerprint, now, findingId }))).body,
    );
  }

  private async record(
    tx: EntityManager,
    f: SubmitFindingRequest,
    caller: CallerIdentity,
    { checked, primary, fingerprint, now, findingId }: { checked: ReturnType<typeof checkFinding>; primary: string; fingerprint: string; now: Date; findingId: string },
  ): Promise<SubmittedFinding> {
    // Two reports of one bug at the same moment must still make one case.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [fingerprint]);
    const [open] = await tx.query(
      `SELECT id, title, state FROM cases WHERE fingerprint = $1 AND state = ANY($2::text[]) ORDER BY reported_at LIMIT 1`,
      [fingerprint, OPEN_STATES],
    );
    let caseId: string;
    if (open) {
      caseId = open.id;
    } else {
      caseId = uuidv7({ msecs: now.getTime() });
      const exploited = f.exploitedInWild ?? false;
      const deadline = disclosureDeadline(now, exploited);
      await tx.query(
        `INSERT INTO cases (id, fingerprint, product_key, cwe, title, state, severity, exploited_in_wild, reported_at, deadline_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'new', $6::jsonb, $7, $8, $9, $8)`,
        [caseId, fingerprint, primary, checked.cwe ?? null, f.title, JSON.stringify(checked.severity), exploited, now, deadline],
      );
      await tx.query(`INSERT INTO case_history (case_id, from_state, to_state, actor, note, at) VALUES ($1, NULL, 'new', $2, 'reported', $3)`, [caseId, caller.orgId, now]);
      // Near-duplicates: the same package and weakness elsewhere in the code, linked for an analyst.
      const related: { id: string }[] = await tx.query(
        `SELECT id FROM cases WHERE product_key = $1 AND cwe IS NOT DISTINCT FROM $2 AND id <> $3 AND state = ANY($4::text[])`,
        [primary, checked.cwe ?? null, caseId, OPEN_STATES],
      );
      for (const r of related) {
        await tx.query('INSERT INTO case_related (case_id, related_id) VALUES ($1, $2), ($2, $1) ON CONFLICT DO NOTHING', [caseId, r.id]);
      }
      // Vendors whose purl prefixes cover an affected package.
      const vendors: { id: string; org_id: string | null }[] = checked.purls.length
        ? await tx.query(
            `SELECT DISTINCT v.id, v.org_id FROM vendors v, jsonb_array_elements_text(v.purl_prefixes) AS prefix, unnest($1::text[]) AS purl
             WHERE purl = prefix OR purl LIKE prefix || '%'`,
            [checked.purls],
          )
        : [];
      for (const v of vendors) {
        await tx.query(`INSERT INTO case_vendors (case_id, vendor_id, status) VALUES ($1, $2, 'unknown') ON CONFLICT DO NOTHING`, [caseId, v.id]);
        if (v.org_id) await tx.query(`INSERT INTO case_access (case_id, org_id, reason) VALUES ($1, $2, 'vendor') ON CONFLICT DO NOTHING`, [caseId, v.org_id]);
      }
      for (const t of deadlineTimers(deadline, now)) await this.timers.schedule(tx, { entityId: caseId, ...t });
      await tx.query(`INSERT INTO case_access (case_id, org_id, reason) VALUES ($1, $2, 'reporter') ON CONFLICT DO NOTHING`, [caseId, caller.orgId]);
      await this.outbox.record(tx, CaseOpened, {
        subject: caseId,
        audience: await caseAudience(tx, caseId),
        data: {
          caseId, title: f.title, state: 'new', findingId, baseSeverity: checked.severity.baseSeverity, deadlineAt: deadline.toISOString(),
          relatedCaseIds: related.map((r) => r.id),
        },
      });
    }
    await tx.query(
      `INSERT INTO findings (id, case_id, reporter_org_id, title, description, affected, cwe, cvss_vector, severity, location, proof_of_concept,
         discovered_with, exploited_in_wild, fingerprint, reported_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9::jsonb, $10::jsonb, $11, $12::jsonb, $13, $14, $15)`,
      [
        findingId, caseId, caller.orgId, f.title, f.description, JSON.stringify(f.affected), checked.cwe ?? null, checked.severity.vector,
        JSON.stringify(checked.severity), f.location ? JSON.stringify(f.location) : null,
        f.proofOfConcept ? this.secrets.seal(f.proofOfConcept, findingId) : null,
        f.discoveredWith ? JSON.stringify(f.discoveredWith) : null, f.exploitedInWild ?? false, fingerprint, now,
      ],
    );
    if (open) {
      await tx.query(`INSERT INTO case_access (case_id, org_id, reason) VALUES ($1, $2, 'reporter') ON CONFLICT DO NOTHING`, [caseId, caller.orgId]);
      await this.outbox.record(tx, CaseDuplicateFound, {
        subject: caseId,
        audience: await caseAudience(tx, caseId),
        data: { caseId, title: open.title, state: open.state, findingId, reporterOrgId: caller.orgId },
      });
    }
    return {
      findingId,
      caseId,
      duplicate: !!open,
      severity: { version: checked.severity.version, baseScore: checked.severity.baseScore, baseSeverity: checked.severity.baseSeverity },
    };
  }
}
