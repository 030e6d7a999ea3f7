import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, ListSubscriptionsRequest, SubscriptionView } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { SubscriptionStore, subscriptionView } from './subscription-store';

export type ListSubscriptionsCommand = ListSubscriptionsRequest & { caller: CallerIdentity };

@Injectable()
export class ListSubscriptionsUseCase implements UseCase<ListSubscriptionsCommand, { items: SubscriptionView[] }> {
  constructor(private readonly subscriptions: SubscriptionStore) {}

  async execute(command: ListSubscriptionsCommand, m: EntityManager): Promise<{ items: SubscriptionView[] }> {
    return { items: (await this.subscriptions.listOwn(m, command.caller.orgId, command.state)).map(subscriptionView) };
  }
}
