import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, HOUR } from '@vantage/clock';
import { CallerIdentity, RotatedSecret } from '@vantage/contracts';
import { SigningSecrets } from './signing-secrets';
import { findOwnSubscription } from './subscription-store';

/** How long the replaced secret keeps signing beside the new one, so the subscriber can switch without a gap. */
export const PREVIOUS_SECRET_OVERLAP_MS = 24 * HOUR;

@Injectable()
export class RotateSecretUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly secrets: SigningSecrets,
  ) {}

  async execute(subscriptionId: string, caller: CallerIdentity | undefined): Promise<RotatedSecret> {
    return this.dataSource.transaction(async (tx) => {
      const sub = await findOwnSubscription(tx, subscriptionId, caller, true);
      const secret = this.secrets.generate();
      const expiresAt = new Date(this.clock.nowMs() + PREVIOUS_SECRET_OVERLAP_MS);
      // Both are sealed under the same subscription context, so the current sealed value moves as it is.
      await tx.query(
        `UPDATE notify.subscriptions SET secret_sealed = $2, previous_secret_sealed = secret_sealed, previous_secret_expires_at = $3 WHERE id = $1`,
        [sub.id, this.secrets.seal(sub.id, secret), expiresAt],
      );
      return { id: sub.id, secret, previousSecretExpiresAt: expiresAt.toISOString() };
    });
  }
}
