import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CreatedSubscription, CreateSubscriptionRequest, NotFoundError, RuleViolationError } from '@vantage/contracts';
import { RpcIdempotency } from '@vantage/messaging';
import { DestinationPolicy } from '@vantage/outbound';
import { IdempotencyKeys } from '@vantage/persistence';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { NotifierConfig } from '../config';
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
    private readonly idempotencyKeys: IdempotencyKeys,
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
  ) {}

  /**
   * With `idempotency`, a repeat of the same key and body answers the first subscription again. Its secret is not
   * kept with the answer: a repeat opens it from the subscription (sealed at rest), so it is the secret the
   * subscription signs with now.
   */
  async execute(request: CreateSubscriptionRequest, caller: CallerIdentity | undefined, idempotency?: RpcIdempotency): Promise<CreatedSubscription> {
    if (!caller) throw new NotFoundError('organisation');
    assertTypePatterns(request.types);
    // Refused before anything is written: a 422 naming url, nothing half-made.
    await this.policy.assertAllowed(request.url, 'url');
    const now = this.clock.now();
    const claim = idempotency && { orgId: caller.orgId, ...idempotency };
    return this.dataSource.transaction(async (tx) => {
      let secret: string | undefined;
      const { body, replayed } = await this.idempotencyKeys.run(tx, claim, now, async () => {
        const id = uuidv7({ msecs: now.getTime() });
        secret = this.secrets.generate();
        const types = [...new Set(request.types)];
        await this.organisations.ensureCaller(tx, caller, now);
        await this.assertRoomFor(tx, caller.orgId);
        await tx.query(
          `INSERT INTO notify.subscriptions (id, org_id, url, types, state, secret_sealed, created_at)
           VALUES ($1, $2, $3, $4, 'active', $5, $6)`,
          [id, caller.orgId, request.url, JSON.stringify(types), this.secrets.seal(id, secret), now],
        );
        return { id, url: request.url, types, createdAt: now.toISOString() };
      });
      if (replayed) {
        const [row] = await tx.query('SELECT secret_sealed FROM notify.subscriptions WHERE id = $1', [body.id]);
        if (!row) throw new NotFoundError('subscription');
        secret = this.secrets.open(body.id, row.secret_sealed);
      }
      return { ...body, secret: secret! };
    });
  }

  /**
   * An organisation holds at most MAX_SUBSCRIPTIONS_PER_ORG subscriptions (active and disabled: both are its to
   * delete). Creations by one organisation take its row's lock in turn, so two at once cannot both take the last place.
   */
  private async assertRoomFor(tx: EntityManager, orgId: string): Promise<void> {
    await tx.query('SELECT id FROM notify.organisations WHERE id = $1 FOR UPDATE', [orgId]);
    const [{ held }] = await tx.query('SELECT count(*)::int AS held FROM notify.subscriptions WHERE org_id = $1', [orgId]);
    const max = this.config.MAX_SUBSCRIPTIONS_PER_ORG;
    if (held >= max) {
      throw new RuleViolationError(
        'subscription_limit_reached',
        `your organisation holds ${held} subscriptions, the most it may (MAX_SUBSCRIPTIONS_PER_ORG is ${max}); delete one to add another`,
      );
    }
  }
}
