// The only place with the SQL of cases: their rows, history, need-to-know list, vendors and related cases, the
// timers of their embargo, and the outbox rows of the events about them, all in the caller's transaction.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, CaseState, CaseView, EventDefinition, SeverityView } from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { DurableTimers } from '@vantage/scheduling';
import { CaseAccess, caseAudience } from './case-access';
import { AdvisorySource } from './case-advisory';
import { toCaseView } from './case-view';
import { CaseHead, deadlineTimers, OPEN_STATES } from './case-workflow';
import { VendorOnCase } from './vendor';

/** A case as it is first written (reported, or split out of another). */
export interface NewCase {
  id: string;
  fingerprint: string;
  productKey: string;
  cwe: string | null;
  title: string;
  state: CaseState;
  severity: SeverityView;
  exploitedInWild: boolean;
  reportedAt: Date;
  deadlineAt: Date;
  updatedAt: Date;
}

/** One entry of a case's append-only history. */
export interface HistoryEntry {
  from: CaseState | null;
  to: CaseState;
  actor: string;
  note: string;
  at: Date;
}

export type CaseAccessReason = 'reporter' | 'vendor' | 'added';

const HEAD = 'id, title, state, deadline_at, exploited_in_wild, severity';

function head(row: any): CaseHead {
  return {
    id: row.id, title: row.title, state: row.state, deadlineAt: new Date(row.deadline_at), exploitedInWild: row.exploited_in_wild, severity: row.severity,
  };
}

@Injectable()
export class CaseStore {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly timers: DurableTimers,
  ) {}

  /** What need-to-know is decided on for `orgId`; undefined when there is no such case. */
  async access(tx: EntityManager, caseId: string, orgId: string): Promise<CaseAccess | undefined> {
    const [row] = await tx.query(
      `SELECT c.state, EXISTS (SELECT 1 FROM case_access a WHERE a.case_id = c.id AND a.org_id = $2) AS listed FROM cases c WHERE c.id = $1`,
      [caseId, orgId],
    );
    return row ? { state: row.state, listed: row.listed } : undefined;
  }

  /** The case, without a lock. */
  async head(tx: EntityManager, caseId: string): Promise<CaseHead | undefined> {
    const [row] = await tx.query(`SELECT ${HEAD} FROM cases WHERE id = $1`, [caseId]);
    return row && head(row);
  }

  /** The case, locked for the rest of the transaction. */
  async lock(tx: EntityManager, caseId: string): Promise<CaseHead | undefined> {
    const [row] = await tx.query(`SELECT ${HEAD} FROM cases WHERE id = $1 FOR UPDATE`, [caseId]);
    return row && head(row);
  }

  /** Several cases locked in id order, so two analysts locking the same pair in opposite orders cannot deadlock. */
  async lockAll(tx: EntityManager, caseIds: string[]): Promise<Map<string, CaseHead>> {
    const rows = await tx.query(`SELECT ${HEAD} FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [caseIds]);
    return new Map(rows.map((r: any) => [r.id, head(r)]));
  }

  /** Serialises the reports of one fingerprint: two reports of one bug at the same moment must still make one case. */
  async lockFingerprint(tx: EntityManager, fingerprint: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [fingerprint]);
  }

  /** The earliest-reported open case of the fingerprint: the one a duplicate joins. */
  async openCaseWithFingerprint(tx: EntityManager, fingerprint: string): Promise<{ id: string; title: string; state: CaseState } | undefined> {
    const [open] = await tx.query(
      `SELECT id, title, state FROM cases WHERE fingerprint = $1 AND state = ANY($2::text[]) ORDER BY reported_at LIMIT 1`,
      [fingerprint, OPEN_STATES],
    );
    return open;
  }

  /** Near-duplicates: open cases of the same package and weakness elsewhere in the code (and `alsoId`, when given). */
  async openRelated(tx: EntityManager, productKey: string, cwe: string | null, caseId: string, alsoId?: string): Promise<string[]> {
    const rows: { id: string }[] = alsoId
      ? await tx.query(
          `SELECT id FROM cases WHERE product_key = $1 AND cwe IS NOT DISTINCT FROM $2 AND id <> $3 AND state = ANY($4::text[])
           UNION SELECT $5::uuid`,
          [productKey, cwe, caseId, OPEN_STATES, alsoId],
        )
      : await tx.query(
          `SELECT id FROM cases WHERE product_key = $1 AND cwe IS NOT DISTINCT FROM $2 AND id <> $3 AND state = ANY($4::text[])`,
          [productKey, cwe, caseId, OPEN_STATES],
        );
    return rows.map((r) => r.id);
  }

  async insert(tx: EntityManager, c: NewCase): Promise<void> {
    await tx.query(
      `INSERT INTO cases (id, fingerprint, product_key, cwe, title, state, severity, exploited_in_wild, reported_at, deadline_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11)`,
      [c.id, c.fingerprint, c.productKey, c.cwe, c.title, c.state, JSON.stringify(c.severity), c.exploitedInWild, c.reportedAt, c.deadlineAt, c.updatedAt],
    );
  }

  async history(tx: EntityManager, caseId: string, e: HistoryEntry): Promise<void> {
    await tx.query('INSERT INTO case_history (case_id, from_state, to_state, actor, note, at) VALUES ($1, $2, $3, $4, $5, $6)', [caseId, e.from, e.to, e.actor, e.note, e.at]);
  }

  async setState(tx: EntityManager, caseId: string, to: CaseState, now: Date): Promise<void> {
    await tx.query(`UPDATE cases SET state = $2, updated_at = $3${to === 'disclosed' ? ', disclosed_at = $3' : ''} WHERE id = $1`, [caseId, to, now]);
  }

  async setDeadline(tx: EntityManager, caseId: string, deadlineAt: Date, now: Date): Promise<void> {
    await tx.query('UPDATE cases SET deadline_at = $2, updated_at = $3 WHERE id = $1', [caseId, deadlineAt, now]);
  }

  async setEmbargo(tx: EntityManager, caseId: string, e: { deadlineAt: Date; exploitedInWild: boolean; severity: SeverityView }, now: Date): Promise<void> {
    await tx.query('UPDATE cases SET deadline_at = $2, exploited_in_wild = $3, severity = $4::jsonb, updated_at = $5 WHERE id = $1', [
      caseId, e.deadlineAt, e.exploitedInWild, JSON.stringify(e.severity), now,
    ]);
  }

  async touch(tx: EntityManager, caseId: string, now: Date): Promise<void> {
    await tx.query('UPDATE cases SET updated_at = $2 WHERE id = $1', [caseId, now]);
  }

  /** Links two cases as related, both ways. */
  async link(tx: EntityManager, caseId: string, relatedIds: string[]): Promise<void> {
    for (const id of relatedIds) await tx.query('INSERT INTO case_related (case_id, related_id) VALUES ($1, $2), ($2, $1) ON CONFLICT DO NOTHING', [caseId, id]);
  }

  /** Adds an organisation to the case's need-to-know list. */
  async grant(tx: EntityManager, caseId: string, orgId: string, reason: CaseAccessReason): Promise<void> {
    await tx.query(`INSERT INTO case_access (case_id, org_id, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [caseId, orgId, reason]);
  }

  async grantReporters(tx: EntityManager, caseId: string, orgIds: string[]): Promise<void> {
    await tx.query(`INSERT INTO case_access (case_id, org_id, reason) SELECT DISTINCT $1::uuid, unnest($2::text[]), 'reporter' ON CONFLICT DO NOTHING`, [caseId, orgIds]);
  }

  /**
   * The absorbed case's need-to-know list, vendors and near-duplicates become the survivor's. A vendor on both keeps
   * the surviving case's status: it is the one the analyst has been coordinating. The duplicate itself drops out of
   * every related list (its history says where it went), so analysts are not offered a closed case to merge again.
   */
  async absorb(tx: EntityManager, caseId: string, absorbedId: string): Promise<void> {
    await tx.query('INSERT INTO case_access (case_id, org_id, reason) SELECT $1, org_id, reason FROM case_access WHERE case_id = $2 ON CONFLICT DO NOTHING', [caseId, absorbedId]);
    await tx.query(
      'INSERT INTO case_vendors (case_id, vendor_id, status, notified_at) SELECT $1, vendor_id, status, notified_at FROM case_vendors WHERE case_id = $2 ON CONFLICT DO NOTHING',
      [caseId, absorbedId],
    );
    await tx.query(
      `INSERT INTO case_related (case_id, related_id)
       SELECT $1, related_id FROM case_related WHERE case_id = $2 AND related_id <> $1
       UNION SELECT related_id, $1 FROM case_related WHERE case_id = $2 AND related_id <> $1
       ON CONFLICT DO NOTHING`,
      [caseId, absorbedId],
    );
    await tx.query('DELETE FROM case_related WHERE case_id = $1 OR related_id = $1', [absorbedId]);
  }

  /** A case split out of another shares its vendors and analyst-added organisations (not its reporters). */
  async shareCoordination(tx: EntityManager, newId: string, sourceId: string): Promise<void> {
    await tx.query(`INSERT INTO case_access (case_id, org_id, reason) SELECT $1, org_id, reason FROM case_access WHERE case_id = $2 AND reason <> 'reporter' ON CONFLICT DO NOTHING`, [newId, sourceId]);
    await tx.query('INSERT INTO case_vendors (case_id, vendor_id, status, notified_at) SELECT $1, vendor_id, status, notified_at FROM case_vendors WHERE case_id = $2', [newId, sourceId]);
  }

  /** A vendor joins the case with `status`; its organisation, if it has one, gets need-to-know. */
  async attachVendor(tx: EntityManager, caseId: string, vendor: { id: string; orgId: string | null }, status: string): Promise<void> {
    await tx.query(`INSERT INTO case_vendors (case_id, vendor_id, status) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [caseId, vendor.id, status]);
    if (vendor.orgId) await this.grant(tx, caseId, vendor.orgId, 'vendor');
  }

  async setVendorStatus(tx: EntityManager, caseId: string, vendorId: string, status: string): Promise<void> {
    await tx.query('UPDATE case_vendors SET status = $3 WHERE case_id = $1 AND vendor_id = $2', [caseId, vendorId, status]);
  }

  async markVendorNotified(tx: EntityManager, caseId: string, vendorId: string, at: Date): Promise<void> {
    await tx.query('UPDATE case_vendors SET notified_at = $3 WHERE case_id = $1 AND vendor_id = $2', [caseId, vendorId, at]);
  }

  /** The vendors on the case. */
  async vendorsOf(tx: EntityManager, caseId: string): Promise<{ id: string; name: string; orgId: string | null }[]> {
    const rows = await tx.query('SELECT v.id, v.name, v.org_id FROM case_vendors cv JOIN vendors v ON v.id = cv.vendor_id WHERE cv.case_id = $1', [caseId]);
    return rows.map((v: any) => ({ id: v.id, name: v.name, orgId: v.org_id }));
  }

  /** A vendor with its status on the case (null when the case does not list it); undefined when there is no such vendor. */
  async vendorOnCase(tx: EntityManager, caseId: string, vendorId: string): Promise<VendorOnCase | undefined> {
    const [v] = await tx.query(
      'SELECT v.id, v.name, v.org_id, cv.status FROM vendors v LEFT JOIN case_vendors cv ON cv.vendor_id = v.id AND cv.case_id = $1 WHERE v.id = $2',
      [caseId, vendorId],
    );
    return v && { id: v.id, name: v.name, orgId: v.org_id, status: v.status };
  }

  /** The embargo's reminders and deadline, as durable timers. */
  async scheduleDeadline(tx: EntityManager, caseId: string, deadlineAt: Date, now: Date): Promise<void> {
    for (const t of deadlineTimers(deadlineAt, now)) await this.timers.schedule(tx, { entityId: caseId, ...t });
  }

  /** The deadline moved: the reminders follow it. */
  async rescheduleDeadline(tx: EntityManager, caseId: string, deadlineAt: Date, now: Date): Promise<void> {
    await this.timers.cancel(tx, caseId);
    await this.scheduleDeadline(tx, caseId, deadlineAt, now);
  }

  /** The case is closed: no reminders, no deadline. */
  async endEmbargo(tx: EntityManager, caseId: string): Promise<void> {
    await this.timers.cancel(tx, caseId);
  }

  /** Writes the outbox row of an event about the case, to its need-to-know list (everyone, when `disclosed`). */
  async announce<T extends object>(tx: EntityManager, definition: EventDefinition<T>, caseId: string, data: T, disclosed = false): Promise<void> {
    const orgs: { org_id: string }[] = disclosed ? [] : await tx.query('SELECT org_id FROM case_access WHERE case_id = $1', [caseId]);
    await this.outbox.record(tx, definition, { subject: caseId, audience: caseAudience(orgs.map((r) => r.org_id), disclosed), data });
  }

  /** The case as the API shows it. */
  async view(tx: EntityManager, caseId: string): Promise<CaseView> {
    const [c] = await tx.query('SELECT * FROM cases WHERE id = $1', [caseId]);
    const findings = await tx.query('SELECT id, reporter_org_id, reported_at, discovered_with FROM findings WHERE case_id = $1 ORDER BY reported_at, id', [caseId]);
    const vendors = await tx.query(
      'SELECT v.id, v.name, cv.status FROM case_vendors cv JOIN vendors v ON v.id = cv.vendor_id WHERE cv.case_id = $1 ORDER BY v.name',
      [caseId],
    );
    const related = await tx.query('SELECT related_id FROM case_related WHERE case_id = $1 ORDER BY related_id', [caseId]);
    const history = await tx.query('SELECT from_state, to_state, actor, note, at FROM case_history WHERE case_id = $1 ORDER BY id', [caseId]);
    return toCaseView({ case: c, findings, vendors, related, history });
  }

  /** The newest 200 cases the caller may read (in `state`, when given): its need-to-know, disclosed ones, all for the clearinghouse. */
  async visibleTo(tx: EntityManager, caller: CallerIdentity, state: CaseState | undefined): Promise<CaseView[]> {
    const rows: { id: string }[] = await tx.query(
      `SELECT c.id FROM cases c
       WHERE ($1::text IS NULL OR c.state = $1)
         AND ($2 = 'clearinghouse' OR c.state = 'disclosed' OR EXISTS (SELECT 1 FROM case_access a WHERE a.case_id = c.id AND a.org_id = $3))
       ORDER BY c.reported_at DESC LIMIT 200`,
      [state ?? null, caller.kind, caller.orgId],
    );
    return Promise.all(rows.map((r) => this.view(tx, r.id)));
  }

  /** The case as its advisory is made from it. */
  async advisorySource(tx: EntityManager, caseId: string): Promise<AdvisorySource> {
    const [c] = await tx.query('SELECT * FROM cases WHERE id = $1', [caseId]);
    return {
      id: c.id, title: c.title, cwe: c.cwe, severity: c.severity, state: c.state, exploitedInWild: c.exploited_in_wild,
      reportedAt: new Date(c.reported_at), disclosedAt: c.disclosed_at ? new Date(c.disclosed_at) : null, updatedAt: new Date(c.updated_at),
    };
  }
}
