// The notifier's request-reply answers about a subscription's deliveries: its log, and a replay.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeliveryView, ListDeliveries, ListDeliveriesRequest, ReplayDeliveries, ReplayDeliveriesRequest, ReplayedDeliveries } from '@vantage/contracts';
import { callerOf, OnRequest, RpcContext } from '@vantage/messaging';
import { ListDeliveriesUseCase } from './list-deliveries.use-case';
import { ReplayDeliveriesUseCase } from './replay-deliveries.use-case';

@Injectable()
export class DeliveriesHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly listDeliveries: ListDeliveriesUseCase,
    private readonly replayDeliveries: ReplayDeliveriesUseCase,
  ) {}

  @OnRequest(ListDeliveries)
  list(request: ListDeliveriesRequest, ctx: RpcContext): Promise<{ items: DeliveryView[] }> {
    return this.listDeliveries.execute({ ...request, caller: callerOf(ctx) }, this.dataSource.manager);
  }

  @OnRequest(ReplayDeliveries)
  replay(request: ReplayDeliveriesRequest, ctx: RpcContext): Promise<ReplayedDeliveries> {
    const command = { subscriptionId: request.subscriptionId, since: new Date(request.since), cursor: request.cursor, caller: callerOf(ctx) };
    return this.dataSource.transaction((tx) => this.replayDeliveries.execute(command, tx));
  }
}
