// The notifier's request-reply answers about subscriptions; the gateway forwards its subscription routes here with
// the caller. Deliveries (their log and replay) are answered in deliveries/.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CreatedSubscription, CreateSubscription, CreateSubscriptionRequest, DeleteSubscription, ListSubscriptions, ListSubscriptionsRequest,
  RotatedSecret, RotateSubscriptionSecret, SubscriptionIdRequest, SubscriptionView,
} from '@vantage/contracts';
import { callerOf, OnRequest, RpcContext } from '@vantage/messaging';
import { CreateSubscriptionUseCase } from './create-subscription.use-case';
import { DeleteSubscriptionUseCase } from './delete-subscription.use-case';
import { ListSubscriptionsUseCase } from './list-subscriptions.use-case';
import { RotateSubscriptionSecretUseCase } from './rotate-subscription-secret.use-case';

@Injectable()
export class SubscriptionsHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly createSubscription: CreateSubscriptionUseCase,
    private readonly listSubscriptions: ListSubscriptionsUseCase,
    private readonly deleteSubscription: DeleteSubscriptionUseCase,
    private readonly rotateSecret: RotateSubscriptionSecretUseCase,
  ) {}

  @OnRequest(CreateSubscription)
  create(request: CreateSubscriptionRequest, ctx: RpcContext): Promise<CreatedSubscription> {
    const command = { ...request, caller: callerOf(ctx), idempotency: ctx.idempotency };
    return this.dataSource.transaction((tx) => this.createSubscription.execute(command, tx));
  }

  @OnRequest(ListSubscriptions)
  list(request: ListSubscriptionsRequest, ctx: RpcContext): Promise<{ items: SubscriptionView[] }> {
    return this.listSubscriptions.execute({ ...request, caller: callerOf(ctx) }, this.dataSource.manager);
  }

  @OnRequest(DeleteSubscription)
  async delete(request: SubscriptionIdRequest, ctx: RpcContext): Promise<null> {
    const command = { subscriptionId: request.subscriptionId, caller: callerOf(ctx) };
    await this.dataSource.transaction((tx) => this.deleteSubscription.execute(command, tx));
    return null;
  }

  @OnRequest(RotateSubscriptionSecret)
  rotate(request: SubscriptionIdRequest, ctx: RpcContext): Promise<RotatedSecret> {
    const command = { subscriptionId: request.subscriptionId, caller: callerOf(ctx) };
    return this.dataSource.transaction((tx) => this.rotateSecret.execute(command, tx));
  }
}
