import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module';
import { FeedHandlers } from './feed.handlers';
import { RepublishToFeedsUseCase } from './republish-to-feeds.use-case';

@Module({
  imports: [AudienceModule],
  providers: [RepublishToFeedsUseCase, FeedHandlers],
})
export class FeedsModule {}
