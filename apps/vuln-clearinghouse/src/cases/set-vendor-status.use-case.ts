// A vendor's status on a case (affected, not-affected, fixed, unknown): set by an analyst, or by the vendor's
// own organisation for its own row only. Every change is in the case history and announced to need-to-know.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CaseVendorStatusChanged, CaseView, SetVendorStatusRequest } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { mayRead } from './case-access';
import { CaseStore } from './case-store';
import { changeVendorStatus, vendorStatusNote } from './vendor';

export type SetVendorStatusCommand = SetVendorStatusRequest & { caller: CallerIdentity };

@Injectable()
export class SetVendorStatusUseCase implements UseCase<SetVendorStatusCommand, CaseView> {
  constructor(
    private readonly cases: CaseStore,
    private readonly clock: Clock,
  ) {}

  async execute({ caseId, vendorId, status, note, caller }: SetVendorStatusCommand, tx: EntityManager): Promise<CaseView> {
    // Need-to-know first: a stranger gets the same 404 whether or not the case or the vendor exists.
    mayRead(await this.cases.access(tx, caseId, caller.orgId), caller);
    const c = (await this.cases.lock(tx, caseId))!;
    const v = await this.cases.vendorOnCase(tx, caseId, vendorId);
    const { from, joins } = changeVendorStatus(caller, v, c.state);
    const vendor = v!;

    const now = this.clock.now();
    if (joins) await this.cases.attachVendor(tx, caseId, vendor, status);
    else await this.cases.setVendorStatus(tx, caseId, vendorId, status);
    await this.cases.touch(tx, caseId, now);
    await this.cases.history(tx, caseId, { from: c.state, to: c.state, actor: caller.orgId, note: vendorStatusNote(vendor, from, status, note), at: now });
    await this.cases.announce(
      tx, CaseVendorStatusChanged, caseId,
      { caseId, title: c.title, state: c.state, vendorId, vendorName: vendor.name, from, status, changedAt: now.toISOString() },
      c.state === 'disclosed',
    );
    return this.cases.view(tx, caseId);
  }
}
