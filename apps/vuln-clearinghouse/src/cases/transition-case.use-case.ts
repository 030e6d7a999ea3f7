// The analyst's moves on a case: only legal ones (409 otherwise, nothing changed), each recorded in the
// append-only history with who, when and why.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import {
  CallerIdentity, CaseDisclosed, CaseState, CaseStateChanged, CaseVendorNotified, CaseView, ConflictError, ForbiddenError, NotFoundError,
  RuleViolationError,
} from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { DurableTimers } from '@vantage/scheduling';
import { caseAudience } from './case-access';
import { loadCaseView } from './case-view';
import { deadlineTimers, isLegalMove, legalMoves } from './case-workflow';

@Injectable()
export class TransitionCaseUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly timers: DurableTimers,
    private readonly clock: Clock,
  ) {}

  async transition(caseId: string, to: CaseState, note: string, caller: CallerIdentity): Promise<CaseView> {
    requireAnalyst(caller);
    return this.dataSource.transaction(async (tx) => {
      const c = await lockCase(tx, caseId);
      if (!isLegalMove(c.state, to)) {
        throw new ConflictError('illegal_transition', `a case in ${c.state} cannot move to ${to}; it can move to ${legalMoves(c.state).join(', ') || 'nothing'}`);
      }
      const now = this.clock.now();
      await tx.query(`UPDATE cases SET state = $2, updated_at = $3${to === 'disclosed' ? ', disclosed_at = $3' : ''} WHERE id = $1`, [caseId, to, now]);
      await tx.query('INSERT INTO case_history (case_id, from_state, to_state, actor, note, at) VALUES ($1, $2, $3, $4, $5, $6)', [caseId, c.state, to, caller.orgId, note, now]);
      const ref = { caseId, title: c.title, state: to };
      await this.outbox.record(tx, CaseStateChanged, {
        subject: caseId, audience: await caseAudience(tx, caseId, to === 'disclosed'), data: { ...ref, from: c.state, note, changedAt: now.toISOString() },
      });
      if (to === 'vendor-notified') {
        const vendors = await tx.query('SELECT v.id, v.name, v.org_id FROM case_vendors cv JOIN vendors v ON v.id = cv.vendor_id WHERE cv.case_id = $1', [caseId]);
        for (const v of vendors) {
          await tx.query('UPDATE case_vendors SET notified_at = $3 WHERE case_id = $1 AND vendor_id = $2', [caseId, v.id, now]);
          await this.outbox.record(tx, CaseVendorNotified, {
            subject: caseId,
            audience: await caseAudience(tx, caseId),
            data: { ...ref, vendorId: v.id, vendorName: v.name, deadlineAt: new Date(c.deadline_at).toISOString() },
          });
        }
      }
      if (to === 'disclosed' || to === 'rejected' || to === 'duplicate') await this.timers.cancel(tx, caseId);
      if (to === 'disclosed') {
        await this.outbox.record(tx, CaseDisclosed, { subject: caseId, audience: await caseAudience(tx, caseId, true), data: { ...ref, disclosedAt: now.toISOString() } });
      }
      return loadCaseView(tx, caseId);
    });
  }

  /** Moves the disclosure deadline later, with a reason; the reminders follow it. */
  async extendEmbargo(caseId: string, deadlineAt: Date, reason: string, caller: CallerIdentity): Promise<CaseView> {
    requireAnalyst(caller);
    return this.dataSource.transaction(async (tx) => {
      const c = await lockCase(tx, caseId);
      if (['disclosed', 'rejected', 'duplicate'].includes(c.state)) throw new ConflictError('case_closed', `a ${c.state} case has no embargo`);
      if (deadlineAt.getTime() <= new Date(c.deadline_at).getTime()) {
        throw new RuleViolationError('deadline_not_later', 'an embargo can only be extended', [{ field: 'deadlineAt', message: 'must be later than the current deadline' }]);
      }
      const now = this.clock.now();
      await tx.query('UPDATE cases SET deadline_at = $2, updated_at = $3 WHERE id = $1', [caseId, deadlineAt, now]);
      await tx.query('INSERT INTO case_history (case_id, from_state, to_state, actor, note, at) VALUES ($1, $2, $2, $3, $4, $5)', [
        caseId, c.state, caller.orgId, `embargo extended to ${deadlineAt.toISOString()}: ${reason}`, now,
      ]);
      await this.timers.cancel(tx, caseId);
      for (const t of deadlineTimers(deadlineAt, now)) await this.timers.schedule(tx, { entityId: caseId, ...t });
      return loadCaseView(tx, caseId);
    });
  }

  async grantAccess(caseId: string, orgId: string, caller: CallerIdentity): Promise<CaseView> {
    requireAnalyst(caller);
    return this.dataSource.transaction(async (tx) => {
      await lockCase(tx, caseId);
      await tx.query(`INSERT INTO case_access (case_id, org_id, reason) VALUES ($1, $2, 'added') ON CONFLICT DO NOTHING`, [caseId, orgId]);
      await tx.query('INSERT INTO case_history (case_id, from_state, to_state, actor, note, at) SELECT id, state, state, $2, $3, $4 FROM cases WHERE id = $1', [
        caseId, caller.orgId, `need-to-know granted to ${orgId}`, this.clock.now(),
      ]);
      return loadCaseView(tx, caseId);
    });
  }
}

function requireAnalyst(caller: CallerIdentity): void {
  if (caller.kind !== 'clearinghouse') throw new ForbiddenError('only clearinghouse analysts move cases');
}

async function lockCase(tx: EntityManager, caseId: string) {
  const [c] = await tx.query('SELECT id, title, state, deadline_at FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
  if (!c) throw new NotFoundError('case');
  return c as { id: string; title: string; state: CaseState; deadline_at: Date };
}
