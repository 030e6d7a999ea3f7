import { Module } from '@nestjs/common';
import { FeedsController } from './feeds.controller';
import { IssueFeedCredentialsUseCase } from './issue-feed-credentials.use-case';

@Module({ controllers: [FeedsController], providers: [IssueFeedCredentialsUseCase] })
export class FeedsModule {}
