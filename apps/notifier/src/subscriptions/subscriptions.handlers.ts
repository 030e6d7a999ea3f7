// The notifier's request-reply answers; the gateway forwards its subscription routes here with the caller.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CreatedSubscription, CreateSubscription, CreateSubscriptionRequest, DeleteSubscription, DeliveryView, ListDeliveries,
  ListDeliveriesRequest, ListSubscriptions, ListSubscriptionsRequest, NotFoundError, ReplayDeliveries, ReplayDeliveriesRequest, ReplayedDeliveries,
  RotatedSecret, RotateSubscriptionSecret, SubscriptionIdRequest, SubscriptionView,
} from '@vantage/contracts';
import { OnRequest, RpcContext } from '@vantage/messaging';
import { listDeliveries } from '../deliveries/delivery-log';
import { CreateSubscriptionUseCase } from './create-subscription.use-case';
import { ReplayDeliveriesUseCase } from './replay-deliveries.use-case';
import { RotateSecretUseCase } from './rotate-secret.use-case';
import { findOwnSubscription, SubscriptionRow, subscriptionView } from './subscription-store';

@Injectable()
export class SubscriptionsHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly createSubscription: CreateSubscriptionUseCase,
    private readonly rotateSecret: RotateSecretUseCase,
    private readonly replayDeliveries: ReplayDeliveriesUseCase,
  ) {}

  @OnRequest(CreateSubscription)
  create(request: CreateSubscriptionRequest, ctx: RpcContext): Promise<CreatedSubscription> {
    return this.createSubscription.execute(request, ctx.caller, ctx.idempotency);
  }

  @OnRequest(ListSubscriptions)
  async list(request: ListSubscriptionsRequest, ctx: RpcContext): Promise<{ items: SubscriptionView[] }> {
    if (!ctx.caller) throw new NotFoundError('organisation');
    const rows: SubscriptionRow[] = await this.dataSource.query(
      'SELECT * FROM notify.subscriptions WHERE org_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY created_at, id',
      [ctx.caller.orgId, request.state ?? null],
    );
    return { items: rows.map(subscriptionView) };
  }

  @OnRequest(DeleteSubscription)
  async delete(request: SubscriptionIdRequest, ctx: RpcContext): Promise<null> {
    await this.dataSource.transaction(async (tx) => {
      const sub = await findOwnSubscription(tx, request.subscriptionId, ctx.caller, true);
      // Its deliveries and their attempts go with it: nothing more is sent to a deleted endpoint.
      await tx.query('DELETE FROM notify.subscriptions WHERE id = $1', [sub.id]);
    });
    return null;
  }

  @OnRequest(RotateSubscriptionSecret)
  rotate(request: SubscriptionIdRequest, ctx: RpcContext): Promise<RotatedSecret> {
    return this.rotateSecret.execute(request.subscriptionId, ctx.caller);
  }

  @OnRequest(ListDeliveries)
  async deliveries(request: ListDeliveriesRequest, ctx: RpcContext): Promise<{ items: DeliveryView[] }> {
    const sub = await findOwnSubscription(this.dataSource.manager, request.subscriptionId, ctx.caller);
    return { items: await listDeliveries(this.dataSource.manager, sub.id, request.status) };
  }

  @OnRequest(ReplayDeliveries)
  replay(request: ReplayDeliveriesRequest, ctx: RpcContext): Promise<ReplayedDeliveries> {
    return this.replayDeliveries.execute(request.subscriptionId, new Date(request.since), ctx.caller, request.cursor);
  }
}
