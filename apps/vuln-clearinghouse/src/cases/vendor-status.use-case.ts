// A vendor's status on a case (affected, not-affected, fixed, unknown): set by an analyst, or by the vendor's
// own organisation for its own row only. Every change is in the case history and announced to need-to-know.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import {
  CallerIdentity, CaseVendorStatusChanged, CaseView, ConflictError, ForbiddenError, NotFoundError, SetVendorStatusRequest,
} from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { caseAudience, mayRead } from './case-access';
import { loadCaseView } from './case-view';

@Injectable()
export class VendorStatusUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
  ) {}

  async execute(request: SetVendorStatusRequest, caller: CallerIdentity): Promise<CaseView> {
    const { caseId, vendorId, status, note } = request;
    return this.dataSource.transaction(async (tx) => {
      // Need-to-know first: a stranger gets the same 404 whether or not the case or the vendor exists.
      await mayRead(tx, caseId, caller);
      const [c] = await tx.query('SELECT id, title, state FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
      const [v] = await tx.query(
        'SELECT v.id, v.name, v.org_id, cv.status FROM vendors v LEFT JOIN case_vendors cv ON cv.vendor_id = v.id AND cv.case_id = $1 WHERE v.id = $2',
        [caseId, vendorId],
      );
      const analyst = caller.kind === 'clearinghouse';
      const ownVendor = !!v && v.org_id === caller.orgId;
      if (!analyst && !ownVendor) throw new ForbiddenError("only clearinghouse analysts and the vendor's own organisation set a vendor's status");
      if (!v) throw new NotFoundError('vendor');
      // An analyst may bring in a vendor the purl match missed; a vendor organisation only answers for cases it is on.
      if (!v.status && !analyst) throw new NotFoundError('vendor');
      // A rejected case has nothing to coordinate, and a duplicate's vendors were moved to the case it joined.
      if (c.state === 'rejected' || c.state === 'duplicate') throw new ConflictError('case_closed', `a ${c.state} case has no vendor coordination`);

      const from: string = v.status ?? 'unknown';
      const now = this.clock.now();
      if (v.status) {
        await tx.query('UPDATE case_vendors SET status = $3 WHERE case_id = $1 AND vendor_id = $2', [caseId, vendorId, status]);
      } else {
        await tx.query('INSERT INTO case_vendors (case_id, vendor_id, status) VALUES ($1, $2, $3)', [caseId, vendorId, status]);
        if (v.org_id) await tx.query(`INSERT INTO case_access (case_id, org_id, reason) VALUES ($1, $2, 'vendor') ON CONFLICT DO NOTHING`, [caseId, v.org_id]);
      }
      await tx.query('UPDATE cases SET updated_at = $2 WHERE id = $1', [caseId, now]);
      await tx.query('INSERT INTO case_history (case_id, from_state, to_state, actor, note, at) VALUES ($1, $2, $2, $3, $4, $5)', [
        caseId, c.state, caller.orgId, `vendor ${v.name} (${vendorId}) status ${from} → ${status}${note ? `: ${note}` : ''}`, now,
      ]);
      await this.outbox.record(tx, CaseVendorStatusChanged, {
        subject: caseId,
        audience: await caseAudience(tx, caseId, c.state === 'disclosed'),
        data: { caseId, title: c.title, state: c.state, vendorId, vendorName: v.name, from, status, changedAt: now.toISOString() },
      });
      return loadCaseView(tx, caseId);
    });
  }
}
