import { NotFoundError } from '@vantage/contracts';
import { AGENCY, fakeSubscriptionStore, LAB, subscriptionRow, TX } from '../subscriptions/fakes.testing';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { DeliveryStore } from './delivery-store';
import { fakeDeliveryStore } from './fakes.testing';
import { DELIVERY_LOG_LIMIT, ListDeliveriesUseCase } from './list-deliveries.use-case';

describe('ListDeliveriesUseCase', () => {
  const created = new Date('2026-12-04T09:00:00Z');
  const rows = [
    { id: 'd2', event_id: 'e2', event_type: 't', status: 'pending' as const, replay: false, created_at: created, next_attempt_at: new Date('2026-12-04T09:05:00Z'), completed_at: null },
    { id: 'd1', event_id: 'e1', event_type: 't', status: 'succeeded' as const, replay: true, created_at: created, next_attempt_at: null, completed_at: new Date('2026-12-04T09:01:00Z') },
  ];
  const attempts = [
    { delivery_id: 'd2', attempt: 1, at: created, status_code: 503, latency_ms: 12, error: 'HTTP 503' },
    { delivery_id: 'd1', attempt: 1, at: created, status_code: null, latency_ms: 2000, error: 'timed out' },
    { delivery_id: 'd1', attempt: 2, at: created, status_code: 200, latency_ms: 8, error: null },
  ];
  const useCase = new ListDeliveriesUseCase(
    fakeSubscriptionStore([subscriptionRow()]) as unknown as SubscriptionStore,
    fakeDeliveryStore({ rows, attempts }) as unknown as DeliveryStore,
  );

  it("shows the owner its subscription's deliveries with their attempts, the next try of a pending one, and the end of a settled one", async () => {
    const { items } = await useCase.execute({ caller: AGENCY, subscriptionId: subscriptionRow().id }, TX);
    expect(items).toEqual([
      { id: 'd2', eventId: 'e2', eventType: 't', status: 'pending', replay: false, createdAt: created.toISOString(), nextAttemptAt: '2026-12-04T09:05:00.000Z',
        attempts: [{ attempt: 1, at: created.toISOString(), statusCode: 503, latencyMs: 12, error: 'HTTP 503' }] },
      { id: 'd1', eventId: 'e1', eventType: 't', status: 'succeeded', replay: true, createdAt: created.toISOString(), completedAt: '2026-12-04T09:01:00.000Z',
        attempts: [{ attempt: 1, at: created.toISOString(), latencyMs: 2000, error: 'timed out' }, { attempt: 2, at: created.toISOString(), statusCode: 200, latencyMs: 8 }] },
    ]);
    expect((await useCase.execute({ caller: AGENCY, subscriptionId: subscriptionRow().id, status: 'succeeded' }, TX)).items.map((d) => d.id)).toEqual(['d1']);
    expect(DELIVERY_LOG_LIMIT).toBe(200);
  });

  it("finds no other organisation's log", async () => {
    await expect(useCase.execute({ caller: LAB, subscriptionId: subscriptionRow().id }, TX)).rejects.toBeInstanceOf(NotFoundError);
  });
});
