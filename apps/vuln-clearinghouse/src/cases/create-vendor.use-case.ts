// A vendor to coordinate with: cases are matched to it by purl prefix.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CreateVendorRequest, ForbiddenError, RuleViolationError, VendorView } from '@vantage/contracts';
import { RpcIdempotency } from '@vantage/messaging';
import { IdempotencyKeys } from '@vantage/persistence';
import { normalisePurl } from '../standards';

@Injectable()
export class CreateVendorUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  /** With `idempotency`, a repeat of the same key and body answers the first vendor and adds none. */
  async execute(request: CreateVendorRequest, caller: CallerIdentity, idempotency?: RpcIdempotency): Promise<VendorView> {
    if (caller.kind !== 'clearinghouse') throw new ForbiddenError('only clearinghouse analysts add vendors');
    const prefixes = request.purlPrefixes.map((prefix, i) => {
      if (!prefix.startsWith('pkg:')) {
        throw new RuleViolationError('vendor_rejected', 'purl prefixes start with pkg:', [{ field: `purlPrefixes[${i}]`, message: 'must start with pkg:' }]);
      }
      // A whole purl is normalised; a bare prefix such as "pkg:npm/@acme/" is kept as given, lower-cased.
      try {
        return normalisePurl(prefix).purl;
      } catch {
        return prefix.toLowerCase();
      }
    });
    const now = this.clock.now();
    const claim = idempotency && { orgId: caller.orgId, ...idempotency };
    return this.dataSource.transaction(async (tx) => {
      const created = await this.idempotencyKeys.run(tx, claim, now, async (): Promise<VendorView> => {
        const id = uuidv7({ msecs: now.getTime() });
        await tx.query(
          'INSERT INTO vendors (id, name, purl_prefixes, contact_url, org_id, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6)',
          [id, request.name, JSON.stringify(prefixes), request.contactUrl, request.orgId ?? null, now],
        );
        return { id, name: request.name, purlPrefixes: prefixes, contactUrl: request.contactUrl, ...(request.orgId ? { orgId: request.orgId } : {}) };
      });
      return created.body;
    });
  }
}
