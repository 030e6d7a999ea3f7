import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, HOUR } from '@vantage/clock';
import { CallerIdentity, RotatedSecret } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { SigningSecrets } from './signing-secrets';
import { SubscriptionStore } from './subscription-store';

/** How long the replaced secret keeps signing beside the new one, so the subscriber can switch without a gap. */
export const PREVIOUS_SECRET_OVERLAP_MS = 24 * HOUR;

export interface RotateSubscriptionSecretCommand {
  caller: CallerIdentity;
  subscriptionId: string;
}

@Injectable()
export class RotateSubscriptionSecretUseCase implements UseCase<RotateSubscriptionSecretCommand, RotatedSecret> {
  constructor(
    private readonly clock: Clock,
    private readonly secrets: SigningSecrets,
    private readonly subscriptions: SubscriptionStore,
  ) {}

  async execute(command: RotateSubscriptionSecretCommand, tx: EntityManager): Promise<RotatedSecret> {
    const sub = await this.subscriptions.findOwn(tx, command.subscriptionId, command.caller, true);
    const secret = this.secrets.generate();
    const expiresAt = new Date(this.clock.nowMs() + PREVIOUS_SECRET_OVERLAP_MS);
    await this.subscriptions.rotateSecret(tx, sub.id, this.secrets.seal(sub.id, secret), expiresAt);
    return { id: sub.id, secret, previousSecretExpiresAt: expiresAt.toISOString() };
  }
}
