import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { SubscriptionStore } from './subscription-store';

export interface DeleteSubscriptionCommand {
  caller: CallerIdentity;
  subscriptionId: string;
}

@Injectable()
export class DeleteSubscriptionUseCase implements UseCase<DeleteSubscriptionCommand> {
  constructor(private readonly subscriptions: SubscriptionStore) {}

  /** Another organisation's subscription is not found (404), as one that does not exist. */
  async execute(command: DeleteSubscriptionCommand, tx: EntityManager): Promise<void> {
    const sub = await this.subscriptions.findOwn(tx, command.subscriptionId, command.caller, true);
    await this.subscriptions.delete(tx, sub.id);
  }
}
