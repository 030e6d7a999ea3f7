import { NotFoundError } from '@vantage/contracts';
import { DeleteSubscriptionUseCase } from './delete-subscription.use-case';
import { AGENCY, fakeSubscriptionStore, LAB, subscriptionRow, TX } from './fakes.testing';
import { SubscriptionStore } from './subscription-store';

describe('DeleteSubscriptionUseCase', () => {
  it('deletes the caller’s own subscription, locked first, and finds no one else’s', async () => {
    const store = fakeSubscriptionStore([subscriptionRow()]);
    const useCase = new DeleteSubscriptionUseCase(store as unknown as SubscriptionStore);
    await expect(useCase.execute({ caller: LAB, subscriptionId: subscriptionRow().id }, TX)).rejects.toBeInstanceOf(NotFoundError);
    expect(store.rows).toHaveLength(1);
    await useCase.execute({ caller: AGENCY, subscriptionId: subscriptionRow().id }, TX);
    expect(store.rows).toHaveLength(0);
    expect(store.calls).toEqual([`findOwn ${subscriptionRow().id} locked`, `findOwn ${subscriptionRow().id} locked`, `delete ${subscriptionRow().id}`]);
  });
});
