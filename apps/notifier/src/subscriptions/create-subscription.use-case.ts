import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, CreatedSubscription, CreateSubscriptionRequest, NotFoundError } from '@vantage/contracts';
import { RpcIdempotency } from '@vantage/messaging';
import { DestinationPolicy } from '@vantage/outbound';
import { IdempotencyKeys } from '@vantage/persistence';
import { SERVICE_CONFIG, UseCase } from '@vantage/runtime';
import { OrganisationStore } from '../audience/organisation-store';
import { assertTypePatterns } from '../audience/type-patterns';
import { NotifierConfig } from '../config';
import { assertRoomForSubscription } from './subscription-limits';
import { SigningSecrets } from './signing-secrets';
import { SubscriptionStore } from './subscription-store';

export type CreateSubscriptionCommand = CreateSubscriptionRequest & { caller: CallerIdentity; idempotency?: RpcIdempotency };

@Injectable()
export class CreateSubscriptionUseCase implements UseCase<CreateSubscriptionCommand, CreatedSubscription> {
  constructor(
    private readonly clock: Clock,
    private readonly policy: DestinationPolicy,
    private readonly secrets: SigningSecrets,
    private readonly organisations: OrganisationStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly idempotencyKeys: IdempotencyKeys,
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
  ) {}

  /**
   * With `idempotency`, a repeat of the same key and body answers the first subscription again. Its secret is not
   * kept with the answer: a repeat opens it from the subscription (sealed at rest), so it is the secret the
   * subscription signs with now.
   */
  async execute(command: CreateSubscriptionCommand, tx: EntityManager): Promise<CreatedSubscription> {
    const { caller } = command;
    assertTypePatterns(command.types);
    // Refused before anything is written: a 422 naming url, nothing half-made.
    await this.policy.assertAllowed(command.url, 'url');
    const now = this.clock.now();
    const claim = command.idempotency && { orgId: caller.orgId, ...command.idempotency };
    let secret: string | undefined;
    const { body, replayed } = await this.idempotencyKeys.run(tx, claim, now, async () => {
      const id = uuidv7({ msecs: now.getTime() });
      secret = this.secrets.generate();
      const types = [...new Set(command.types)];
      await this.organisations.ensureCaller(tx, caller, now);
      // Creations by one organisation take its row's lock in turn, so two at once cannot both take the last place.
      await this.organisations.lock(tx, caller.orgId);
      assertRoomForSubscription(await this.subscriptions.countOwn(tx, caller.orgId), this.config.MAX_SUBSCRIPTIONS_PER_ORG);
      await this.subscriptions.insert(tx, { id, orgId: caller.orgId, url: command.url, types, secretSealed: this.secrets.seal(id, secret), createdAt: now });
      return { id, url: command.url, types, createdAt: now.toISOString() };
    });
    if (replayed) {
      const sealed = await this.subscriptions.sealedSecret(tx, body.id);
      if (!sealed) throw new NotFoundError('subscription');
      secret = this.secrets.open(body.id, sealed);
    }
    return { ...body, secret: secret! };
  }
}
