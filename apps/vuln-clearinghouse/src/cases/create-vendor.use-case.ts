// A vendor to coordinate with: cases are matched to it by purl prefix.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CreateVendorRequest, VendorView } from '@vantage/contracts';
import { RpcIdempotency } from '@vantage/messaging';
import { IdempotencyKeys } from '@vantage/persistence';
import { UseCase } from '@vantage/runtime';
import { requireAnalyst } from './case-access';
import { purlPrefixes } from './vendor';
import { VendorStore } from './vendor-store';

export type CreateVendorCommand = CreateVendorRequest & {
  caller: CallerIdentity;
  /** With it, a repeat of the same key and body answers the first vendor and adds none. */
  idempotency?: RpcIdempotency;
};

@Injectable()
export class CreateVendorUseCase implements UseCase<CreateVendorCommand, VendorView> {
  constructor(
    private readonly vendors: VendorStore,
    private readonly clock: Clock,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  async execute({ name, contactUrl, orgId, caller, idempotency, ...request }: CreateVendorCommand, tx: EntityManager): Promise<VendorView> {
    requireAnalyst(caller, 'only clearinghouse analysts add vendors');
    const prefixes = purlPrefixes(request.purlPrefixes);
    const now = this.clock.now();
    const claim = idempotency && { orgId: caller.orgId, ...idempotency };
    const created = await this.idempotencyKeys.run(tx, claim, now, async (): Promise<VendorView> => {
      const id = uuidv7({ msecs: now.getTime() });
      await this.vendors.insert(tx, { id, name, purlPrefixes: prefixes, contactUrl, orgId: orgId ?? null, createdAt: now });
      return { id, name, purlPrefixes: prefixes, contactUrl, ...(orgId ? { orgId } : {}) };
    });
    return created.body;
  }
}
