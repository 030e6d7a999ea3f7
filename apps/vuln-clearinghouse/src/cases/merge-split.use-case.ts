// An analyst's corrections to deduplication: merge a near-duplicate into a case, or split findings that are
// a different bug out of one. Each is one transaction: refused (404/403/409/422) before anything is written,
// or done completely with its history entries and events.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import {
  CallerIdentity, CaseMerged, CaseOpened, CaseSplit, CaseState, CaseStateChanged, CaseView, DomainError, FieldProblem, ForbiddenError,
  RuleViolationError,
} from '@vantage/contracts';
import { EventOutbox, RpcIdempotency } from '@vantage/messaging';
import { IdempotencyKeys } from '@vantage/persistence';
import { DurableTimers } from '@vantage/scheduling';
import { productKey } from '../standards';
import { caseAudience, mayRead } from './case-access';
import { loadCaseView } from './case-view';
import { deadlineTimers, OPEN_STATES } from './case-workflow';

interface LockedCase {
  id: string;
  title: string;
  state: CaseState;
  deadline_at: Date;
  exploited_in_wild: boolean;
  severity: { baseScore: number };
}

@Injectable()
export class MergeSplitUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly timers: DurableTimers,
    private readonly clock: Clock,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  /**
   * Merges `absorbedId` into `caseId`. Any open case may be absorbed (a merge is a correction, not a workflow
   * move, so a case already at vendor-notified may still turn out to be the same bug); closed ones may not.
   * The surviving case keeps the stricter embargo: the earlier deadline, in-the-wild if either was, the higher
   * severity, so no reporter or vendor is given more time than they were promised.
   */
  async merge(caseId: string, absorbedId: string, note: string, caller: CallerIdentity): Promise<CaseView> {
    return this.dataSource.transaction(async (tx) => {
      await requireAnalystOn(tx, caseId, caller);
      if (absorbedId === caseId) throw invalid('merge_rejected', 'caseId', 'is this case; a case cannot be merged into itself');
      // Both rows locked in id order, so two analysts merging the same pair in opposite directions cannot deadlock.
      const locked = await lockCases(tx, [caseId, absorbedId]);
      const target = locked.get(caseId)!;
      const absorbed = locked.get(absorbedId);
      if (!absorbed) throw invalid('merge_rejected', 'caseId', 'no such case');
      if (!OPEN_STATES.includes(target.state)) throw closed('id', `a ${target.state} case cannot absorb another case`);
      if (!OPEN_STATES.includes(absorbed.state)) throw closed('caseId', `a ${absorbed.state} case cannot be merged`);

      const now = this.clock.now();
      // (Read first: TypeORM answers an UPDATE … RETURNING with [rows, count], not rows.)
      const moved: { id: string }[] = await tx.query('SELECT id FROM findings WHERE case_id = $1 ORDER BY reported_at, id', [absorbedId]);
      await tx.query('UPDATE findings SET case_id = $1 WHERE case_id = $2', [caseId, absorbedId]);
      await tx.query('INSERT INTO case_access (case_id, org_id, reason) SELECT $1, org_id, reason FROM case_access WHERE case_id = $2 ON CONFLICT DO NOTHING', [caseId, absorbedId]);
      // A vendor on both keeps the surviving case's status: it is the one the analyst has been coordinating.
      await tx.query(
        'INSERT INTO case_vendors (case_id, vendor_id, status, notified_at) SELECT $1, vendor_id, status, notified_at FROM case_vendors WHERE case_id = $2 ON CONFLICT DO NOTHING',
        [caseId, absorbedId],
      );
      // The absorbed case's near-duplicates become the survivor's; the duplicate itself drops out of every related
      // list (its history says where it went), so analysts are not offered a closed case to merge again.
      await tx.query(
        `INSERT INTO case_related (case_id, related_id)
         SELECT $1, related_id FROM case_related WHERE case_id = $2 AND related_id <> $1
         UNION SELECT related_id, $1 FROM case_related WHERE case_id = $2 AND related_id <> $1
         ON CONFLICT DO NOTHING`,
        [caseId, absorbedId],
      );
      await tx.query('DELETE FROM case_related WHERE case_id = $1 OR related_id = $1', [absorbedId]);

      const deadline = new Date(Math.min(new Date(target.deadline_at).getTime(), new Date(absorbed.deadline_at).getTime()));
      const severity = absorbed.severity.baseScore > target.severity.baseScore ? absorbed.severity : target.severity;
      await tx.query('UPDATE cases SET deadline_at = $2, exploited_in_wild = $3, severity = $4::jsonb, updated_at = $5 WHERE id = $1', [
        caseId, deadline, target.exploited_in_wild || absorbed.exploited_in_wild, JSON.stringify(severity), now,
      ]);
      if (deadline.getTime() !== new Date(target.deadline_at).getTime()) {
        await this.timers.cancel(tx, caseId);
        for (const t of deadlineTimers(deadline, now)) await this.timers.schedule(tx, { entityId: caseId, ...t });
      }
      await tx.query(`UPDATE cases SET state = 'duplicate', updated_at = $2 WHERE id = $1`, [absorbedId, now]);
      await this.timers.cancel(tx, absorbedId);
      await history(tx, absorbedId, absorbed.state, 'duplicate', caller, `merged into ${caseId}: ${note}`, now);
      await history(tx, caseId, target.state, target.state, caller, `merged ${absorbedId} (${moved.length} findings): ${note}`, now);

      await this.outbox.record(tx, CaseStateChanged, {
        subject: absorbedId,
        audience: await caseAudience(tx, absorbedId),
        data: { caseId: absorbedId, title: absorbed.title, state: 'duplicate', from: absorbed.state, note: `merged into ${caseId}: ${note}`.slice(0, 2000), changedAt: now.toISOString() },
      });
      await this.outbox.record(tx, CaseMerged, {
        subject: caseId,
        audience: await caseAudience(tx, caseId),
        data: { caseId, title: target.title, state: target.state, absorbedCaseId: absorbedId, movedFindingIds: moved.map((f) => f.id), note, mergedAt: now.toISOString() },
      });
      return loadCaseView(tx, caseId);
    });
  }

  /**
   * Moves `findingIds` out of `caseId` into a new case, `triaged` (an analyst has looked at it), fingerprinted
   * from the earliest-reported moved finding and linked as related. Deadline policy: the new case inherits the
   * source case's current deadline (extensions included). The findings were reported under that embargo;
   * splitting is bookkeeping and must neither shorten the reporters' promise nor restart the clock.
   */
  /** With `idempotency`, a repeat of the same key and body answers the first split's new case and moves nothing. */
  async split(caseId: string, findingIds: string[], note: string, caller: CallerIdentity, idempotency?: RpcIdempotency): Promise<CaseView> {
    const claim = idempotency && { orgId: caller.orgId, ...idempotency };
    return this.dataSource.transaction(async (tx) => (await this.idempotencyKeys.run(tx, claim, this.clock.now(), () => this.splitIn(tx, caseId, findingIds, note, caller))).body);
  }

  private async splitIn(tx: EntityManager, caseId: string, findingIds: string[], note: string, caller: CallerIdentity): Promise<CaseView> {
    await requireAnalystOn(tx, caseId, caller);
    const source = (await lockCases(tx, [caseId])).get(caseId)!;
    if (!OPEN_STATES.includes(source.state)) throw closed('id', `a ${source.state} case cannot be split`);
    const all: { id: string; reporter_org_id: string; title: string; affected: any[]; cwe: string | null; severity: any; exploited_in_wild: boolean; fingerprint: string; reported_at: Date }[] =
      await tx.query('SELECT id, reporter_org_id, title, affected, cwe, severity, exploited_in_wild, fingerprint, reported_at FROM findings WHERE case_id = $1 ORDER BY reported_at, id', [caseId]);
    const wanted = findingIds.map((id) => id.toLowerCase());
    const problems: FieldProblem[] = [];
    wanted.forEach((id, i) => {
      if (wanted.indexOf(id) !== i) problems.push({ field: `findingIds[${i}]`, message: 'is listed twice' });
      else if (!all.some((f) => f.id === id)) problems.push({ field: `findingIds[${i}]`, message: 'is not a finding of this case' });
    });
    if (problems.length) throw new RuleViolationError('split_rejected', problems.map((p) => `${p.field} ${p.message}`).join('; '), problems);
    const moving = all.filter((f) => wanted.includes(f.id));
    if (moving.length === all.length) throw invalid('split_rejected', 'findingIds', 'would move every finding; at least one must stay in the case');

    const now = this.clock.now();
    const first = moving[0];
    const newId = uuidv7({ msecs: now.getTime() });
    const exploited = moving.some((f) => f.exploited_in_wild);
    const severity = moving.reduce((hi, f) => (f.severity.baseScore > hi.baseScore ? f.severity : hi), first.severity);
    const deadline = new Date(source.deadline_at);
    const primary = productKey(first.affected[0]);
    await tx.query(
      `INSERT INTO cases (id, fingerprint, product_key, cwe, title, state, severity, exploited_in_wild, reported_at, deadline_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'triaged', $6::jsonb, $7, $8, $9, $10)`,
      [newId, first.fingerprint, primary, first.cwe, first.title, JSON.stringify(severity), exploited, first.reported_at, deadline, now],
    );
    await tx.query('UPDATE findings SET case_id = $1 WHERE id = ANY($2::uuid[])', [newId, moving.map((f) => f.id)]);
    // Need-to-know: the moved findings' reporters, plus the source's vendors and analyst-added organisations.
    // Reporters of findings that stay are not added: the new case is no longer their report.
    await tx.query(`INSERT INTO case_access (case_id, org_id, reason) SELECT DISTINCT $1::uuid, unnest($2::text[]), 'reporter' ON CONFLICT DO NOTHING`, [
      newId, moving.map((f) => f.reporter_org_id),
    ]);
    await tx.query(`INSERT INTO case_access (case_id, org_id, reason) SELECT $1, org_id, reason FROM case_access WHERE case_id = $2 AND reason <> 'reporter' ON CONFLICT DO NOTHING`, [newId, caseId]);
    await tx.query('INSERT INTO case_vendors (case_id, vendor_id, status, notified_at) SELECT $1, vendor_id, status, notified_at FROM case_vendors WHERE case_id = $2', [newId, caseId]);
    const related: { id: string }[] = await tx.query(
      `SELECT id FROM cases WHERE product_key = $1 AND cwe IS NOT DISTINCT FROM $2 AND id <> $3 AND state = ANY($4::text[])
       UNION SELECT $5::uuid`,
      [primary, first.cwe, newId, OPEN_STATES, caseId],
    );
    for (const r of related) await tx.query('INSERT INTO case_related (case_id, related_id) VALUES ($1, $2), ($2, $1) ON CONFLICT DO NOTHING', [newId, r.id]);
    for (const t of deadlineTimers(deadline, now)) await this.timers.schedule(tx, { entityId: newId, ...t });
    await tx.query('UPDATE cases SET updated_at = $2 WHERE id = $1', [caseId, now]);
    await history(tx, newId, null, 'triaged', caller, `split from ${caseId}: ${note}`, now);
    await history(tx, caseId, source.state, source.state, caller, `split ${moving.length} findings into ${newId}: ${note}`, now);

    await this.outbox.record(tx, CaseSplit, {
      subject: caseId,
      audience: await caseAudience(tx, caseId),
      data: { caseId, title: source.title, state: source.state, newCaseId: newId, movedFindingIds: moving.map((f) => f.id), note, splitAt: now.toISOString() },
    });
    await this.outbox.record(tx, CaseOpened, {
      subject: newId,
      audience: await caseAudience(tx, newId),
      data: {
        caseId: newId, title: first.title, state: 'triaged', findingId: first.id, baseSeverity: severity.baseSeverity, deadlineAt: deadline.toISOString(),
        relatedCaseIds: related.map((r) => r.id),
      },
    });
    return loadCaseView(tx, newId);
  }
}

/** A stranger learns nothing (404); someone with need-to-know but no analyst role is refused (403). */
async function requireAnalystOn(tx: EntityManager, caseId: string, caller: CallerIdentity): Promise<void> {
  await mayRead(tx, caseId, caller);
  if (caller.kind !== 'clearinghouse') throw new ForbiddenError('only clearinghouse analysts merge and split cases');
}

async function lockCases(tx: EntityManager, ids: string[]): Promise<Map<string, LockedCase>> {
  const rows: LockedCase[] = await tx.query(
    'SELECT id, title, state, deadline_at, exploited_in_wild, severity FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** A conflict with the case's state (409), naming the field that points at the closed case. */
function closed(field: string, message: string): DomainError {
  return new DomainError('case_closed', 409, `${field}: ${message}`, [{ field, message }]);
}

function invalid(code: string, field: string, message: string): RuleViolationError {
  return new RuleViolationError(code, `${field} ${message}`, [{ field, message }]);
}

async function history(tx: EntityManager, caseId: string, from: CaseState | null, to: CaseState, caller: CallerIdentity, note: string, at: Date): Promise<void> {
  await tx.query('INSERT INTO case_history (case_id, from_state, to_state, actor, note, at) VALUES ($1, $2, $3, $4, $5, $6)', [caseId, from, to, caller.orgId, note, at]);
}
