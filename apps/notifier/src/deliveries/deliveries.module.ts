import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module';
import { EventsModule } from '../events/events.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { AttemptStore } from './attempt-store';
import { DeliveriesHandlers } from './deliveries.handlers';
import { DeliveryStore } from './delivery-store';
import { DeliveryWorker } from './delivery-worker';
import { FanOutEventsUseCase } from './fan-out-events.use-case';
import { FanOutHandlers } from './fan-out.handlers';
import { LaneStore } from './lane-store';
import { ListDeliveriesUseCase } from './list-deliveries.use-case';
import { RecordAttemptsUseCase } from './record-attempts.use-case';
import { ReplayDeliveriesUseCase } from './replay-deliveries.use-case';
import { WebhookSender } from './webhook-sender';

/** Deliveries sit on top: they read the audience, the subscriptions and the events, and nothing reads them. */
@Module({
  imports: [AudienceModule, SubscriptionsModule, EventsModule],
  providers: [
    DeliveryStore, LaneStore, AttemptStore, FanOutEventsUseCase, FanOutHandlers, ListDeliveriesUseCase, ReplayDeliveriesUseCase, DeliveriesHandlers,
    WebhookSender, RecordAttemptsUseCase, DeliveryWorker,
  ],
})
export class DeliveriesModule {}
