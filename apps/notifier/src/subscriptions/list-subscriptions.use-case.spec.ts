import { ListSubscriptionsUseCase } from './list-subscriptions.use-case';
import { AGENCY, fakeSubscriptionStore, LAB, subscriptionRow, TX } from './fakes.testing';
import { SubscriptionStore } from './subscription-store';

describe('ListSubscriptionsUseCase', () => {
  it("lists the caller's own subscriptions as views (never a secret), optionally of one state", async () => {
    const rows = [
      subscriptionRow(),
      subscriptionRow({ id: '0190d1f6-0000-7000-8000-0000000000d4', state: 'disabled', disabled_reason: 'gone', disabled_at: new Date('2026-12-02T00:00:00Z') }),
      subscriptionRow({ id: '0190d1f6-0000-7000-8000-0000000000e5', org_id: LAB.orgId }),
    ];
    const useCase = new ListSubscriptionsUseCase(fakeSubscriptionStore(rows) as unknown as SubscriptionStore);
    const all = await useCase.execute({ caller: AGENCY }, TX);
    expect(all.items.map((s) => s.id)).toEqual([rows[0].id, rows[1].id]);
    expect(JSON.stringify(all)).not.toContain('sealed');
    expect(all.items[1]).toMatchObject({ state: 'disabled', disabledReason: 'gone', disabledAt: '2026-12-02T00:00:00.000Z' });
    expect((await useCase.execute({ caller: AGENCY, state: 'active' }, TX)).items.map((s) => s.id)).toEqual([rows[0].id]);
  });
});
