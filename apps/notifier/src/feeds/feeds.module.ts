import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { FeedHandlers } from './feed.handlers';
import { FeedRepublisher } from './feed-republisher';

@Module({
  imports: [SubscriptionsModule],
  providers: [FeedRepublisher, FeedHandlers],
})
export class FeedsModule {}
