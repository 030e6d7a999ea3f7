// The delivery log a subscriber reads: each delivery with every attempt made for it.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, DeliveryAttemptView, DeliveryView, ListDeliveriesRequest } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { AttemptRow, DeliveryRow, DeliveryStore } from './delivery-store';

/** The log shows the newest deliveries; older ones stay in the table for replay and operators. */
export const DELIVERY_LOG_LIMIT = 200;

export type ListDeliveriesCommand = ListDeliveriesRequest & { caller: CallerIdentity };

@Injectable()
export class ListDeliveriesUseCase implements UseCase<ListDeliveriesCommand, { items: DeliveryView[] }> {
  constructor(
    private readonly subscriptions: SubscriptionStore,
    private readonly deliveries: DeliveryStore,
  ) {}

  async execute(command: ListDeliveriesCommand, m: EntityManager): Promise<{ items: DeliveryView[] }> {
    const sub = await this.subscriptions.findOwn(m, command.subscriptionId, command.caller);
    const { rows, attempts } = await this.deliveries.log(m, sub.id, command.status, DELIVERY_LOG_LIMIT);
    return { items: deliveryViews(rows, attempts) };
  }
}

/** Deliveries as their subscriber sees them, each with its attempts in order. */
export function deliveryViews(rows: DeliveryRow[], attempts: AttemptRow[]): DeliveryView[] {
  const byDelivery = new Map<string, DeliveryAttemptView[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id) ?? [];
    list.push({
      attempt: a.attempt,
      at: new Date(a.at).toISOString(),
      ...(a.status_code !== null ? { statusCode: a.status_code } : {}),
      latencyMs: a.latency_ms,
      ...(a.error ? { error: a.error } : {}),
    });
    byDelivery.set(a.delivery_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    replay: r.replay,
    createdAt: new Date(r.created_at).toISOString(),
    ...(r.status === 'pending' && r.next_attempt_at ? { nextAttemptAt: new Date(r.next_attempt_at).toISOString() } : {}),
    ...(r.completed_at ? { completedAt: new Date(r.completed_at).toISOString() } : {}),
    attempts: byDelivery.get(r.id) ?? [],
  }));
}
