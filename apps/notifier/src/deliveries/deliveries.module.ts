import { Module } from '@nestjs/common';
import { FeedRepublisher } from '../feeds/feed-republisher';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DeliveryWorker } from './delivery-worker';
import { FanOutEventsUseCase } from './fan-out-events.use-case';
import { FanOutHandlers } from './fan-out.handlers';
import { RecordAttemptUseCase } from './record-attempt.use-case';
import { WebhookSender } from './webhook-sender';

@Module({
  imports: [SubscriptionsModule],
  providers: [FeedRepublisher, FanOutEventsUseCase, FanOutHandlers, WebhookSender, RecordAttemptUseCase, DeliveryWorker],
})
export class DeliveriesModule {}
