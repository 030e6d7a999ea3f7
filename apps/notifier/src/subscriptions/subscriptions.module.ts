import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module';
import { CreateSubscriptionUseCase } from './create-subscription.use-case';
import { DeleteSubscriptionUseCase } from './delete-subscription.use-case';
import { ListSubscriptionsUseCase } from './list-subscriptions.use-case';
import { RotateSubscriptionSecretUseCase } from './rotate-subscription-secret.use-case';
import { SigningSecrets } from './signing-secrets';
import { SubscriptionStore } from './subscription-store';
import { SubscriptionsHandlers } from './subscriptions.handlers';

@Module({
  imports: [AudienceModule],
  providers: [
    SigningSecrets, SubscriptionStore,
    CreateSubscriptionUseCase, ListSubscriptionsUseCase, DeleteSubscriptionUseCase, RotateSubscriptionSecretUseCase, SubscriptionsHandlers,
  ],
  exports: [SigningSecrets, SubscriptionStore],
})
export class SubscriptionsModule {}
