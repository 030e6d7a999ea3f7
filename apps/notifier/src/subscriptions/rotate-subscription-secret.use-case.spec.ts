import { ManualClock } from '@vantage/clock';
import { NotFoundError } from '@vantage/contracts';
import { PREVIOUS_SECRET_OVERLAP_MS, RotateSubscriptionSecretUseCase } from './rotate-subscription-secret.use-case';
import { AGENCY, fakeSecrets, fakeSubscriptionStore, LAB, subscriptionRow, TX } from './fakes.testing';
import { SigningSecrets } from './signing-secrets';
import { SubscriptionStore } from './subscription-store';

describe('RotateSubscriptionSecretUseCase', () => {
  const build = () => {
    const store = fakeSubscriptionStore([subscriptionRow({ secret_sealed: 'sealed-old' })]);
    const useCase = new RotateSubscriptionSecretUseCase(new ManualClock('2026-12-04T10:00:00Z'), fakeSecrets as unknown as SigningSecrets, store as unknown as SubscriptionStore);
    return { store, useCase };
  };

  it('signs with a new secret from now, and with the old one beside it for the overlap', async () => {
    const { store, useCase } = build();
    const rotated = await useCase.execute({ caller: AGENCY, subscriptionId: subscriptionRow().id }, TX);
    expect(rotated).toEqual({
      id: subscriptionRow().id, secret: fakeSecrets.generate(),
      previousSecretExpiresAt: new Date(Date.parse('2026-12-04T10:00:00Z') + PREVIOUS_SECRET_OVERLAP_MS).toISOString(),
    });
    expect(store.rows[0]).toMatchObject({ previous_secret_sealed: 'sealed-old', secret_sealed: fakeSecrets.seal(rotated.id, rotated.secret) });
    expect(store.calls).toEqual([`findOwn ${rotated.id} locked`]);
  });

  it("does not find another organisation's subscription", async () => {
    const { store, useCase } = build();
    await expect(useCase.execute({ caller: LAB, subscriptionId: subscriptionRow().id }, TX)).rejects.toBeInstanceOf(NotFoundError);
    expect(store.rows[0].secret_sealed).toBe('sealed-old');
  });
});
