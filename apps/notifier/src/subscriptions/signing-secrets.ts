// Standard Webhooks signing secrets (`whsec_` + base64 key): made here, sealed at rest with SecretBox, bound to
// their subscription (a sealed secret copied to another row does not open), and never logged or published.
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@vantage/crypto';

@Injectable()
export class SigningSecrets {
  constructor(private readonly box: SecretBox) {}

  /** A fresh secret; Standard Webhooks keys are 24 to 64 bytes. */
  generate(): string {
    return `whsec_${randomBytes(32).toString('base64')}`;
  }

  seal(subscriptionId: string, secret: string): string {
    return this.box.seal(secret, `subscription:${subscriptionId}`);
  }

  open(subscriptionId: string, sealed: string): string {
    return this.box.open(sealed, `subscription:${subscriptionId}`);
  }
}
