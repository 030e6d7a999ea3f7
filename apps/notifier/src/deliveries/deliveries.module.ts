import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DeliveryWorker } from './delivery-worker';
import { FanOutEventsUseCase } from './fan-out-events.use-case';
import { FanOutHandlers } from './fan-out.handlers';
import { RecordAttemptsUseCase } from './record-attempts.use-case';
import { WebhookSender } from './webhook-sender';

@Module({
  imports: [SubscriptionsModule, EventsModule],
  providers: [FanOutEventsUseCase, FanOutHandlers, WebhookSender, RecordAttemptsUseCase, DeliveryWorker],
})
export class DeliveriesModule {}
