import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CreatedSubscription, CreateSubscriptionRequest, NotFoundError } from '@vantage/contracts';
import { DestinationPolicy } from './destination-policy';
import { OrganisationDirectory } from './organisation-directory';
import { SigningSecrets } from './signing-secrets';
import { assertTypePatterns } from './type-patterns';

@Injectable()
export class CreateSubscriptionUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly policy: DestinationPolicy,
    private readonly secrets: SigningSecrets,
    private readonly organisations: OrganisationDirectory,
  ) {}

  async execute(request: CreateSubscriptionRequest, caller: CallerIdentity | undefined): Promise<CreatedSubscription> {
    if (!caller) throw new NotFoundError('organisation');
    assertTypePatterns(request.types);
    // Refused before anything is written: a 422 naming url, nothing half-made.
    await this.policy.check(request.url);
    const now = this.clock.now();
    const id = uuidv7({ msecs: now.getTime() });
    const secret = this.secrets.generate();
    const types = [...new Set(request.types)];
    await this.dataSource.transaction(async (tx) => {
      await this.organisations.ensureCaller(tx, caller, now);
      await tx.query(
        `INSERT INTO notify.subscriptions (id, org_id, url, types, state, secret_sealed, created_at)
         VALUES ($1, $2, $3, $4, 'active', $5, $6)`,
        [id, caller.orgId, request.url, JSON.stringify(types), this.secrets.seal(id, secret), now],
      );
    });
    return { id, url: request.url, types, secret, createdAt: now.toISOString() };
  }
}
