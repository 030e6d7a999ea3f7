import { Module } from '@nestjs/common';
import { CreateSubscriptionUseCase } from './create-subscription.use-case';
import { OrganisationDirectory } from './organisation-directory';
import { ReplayDeliveriesUseCase } from './replay-deliveries.use-case';
import { RotateSecretUseCase } from './rotate-secret.use-case';
import { SigningSecrets } from './signing-secrets';
import { SubscriptionsHandlers } from './subscriptions.handlers';

@Module({
  providers: [
    SigningSecrets, OrganisationDirectory,
    CreateSubscriptionUseCase, RotateSecretUseCase, ReplayDeliveriesUseCase, SubscriptionsHandlers,
  ],
  exports: [SigningSecrets, OrganisationDirectory],
})
export class SubscriptionsModule {}
