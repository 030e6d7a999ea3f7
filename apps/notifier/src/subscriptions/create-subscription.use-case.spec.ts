import { ManualClock } from '@vantage/clock';
import { InputInvalidError, RuleViolationError } from '@vantage/contracts';
import { DestinationPolicy } from '@vantage/outbound';
import { IdempotencyKeys } from '@vantage/persistence';
import { NotifierConfig } from '../config';
import { OrganisationStore } from '../audience/organisation-store';
import { CreateSubscriptionUseCase } from './create-subscription.use-case';
import { AGENCY, fakeOrganisationStore, fakeSecrets, fakeSubscriptionStore, subscriptionRow, TX } from './fakes.testing';
import { SigningSecrets } from './signing-secrets';
import { SubscriptionStore } from './subscription-store';

/** No key: the work runs once. With a key seen before: the first answer comes back, replayed. */
function fakeIdempotency(first?: unknown) {
  return {
    async run<T>(_tx: unknown, claim: unknown, _now: Date, work: () => Promise<T>) {
      return claim && first ? { body: first as T, replayed: true } : { body: await work(), replayed: false };
    },
  } as unknown as IdempotencyKeys;
}

function build(opts: { rows?: ReturnType<typeof subscriptionRow>[]; max?: number; refuse?: boolean; first?: unknown } = {}) {
  const subscriptions = fakeSubscriptionStore(opts.rows ?? []);
  const organisations = fakeOrganisationStore();
  const policy = { assertAllowed: async (url: string, field: string) => { if (opts.refuse) throw new InputInvalidError(`${field} is not allowed: ${url}`, [{ field, message: "is not allowed" }]); } };
  const useCase = new CreateSubscriptionUseCase(
    new ManualClock('2026-12-04T10:00:00Z'), policy as unknown as DestinationPolicy, fakeSecrets as unknown as SigningSecrets,
    organisations as unknown as OrganisationStore, subscriptions as unknown as SubscriptionStore, fakeIdempotency(opts.first),
    { MAX_SUBSCRIPTIONS_PER_ORG: opts.max ?? 10 } as NotifierConfig,
  );
  return { useCase, subscriptions, organisations };
}

describe('CreateSubscriptionUseCase', () => {
  it('records the caller, locks its organisation, stores the subscription with its secret sealed, and shows the secret once', async () => {
    const { useCase, subscriptions, organisations } = build();
    const created = await useCase.execute({ caller: AGENCY, url: 'https://hooks.example/a', types: ['gov.vantage.window.*', 'gov.vantage.window.*'] }, TX);
    expect(created).toMatchObject({ url: 'https://hooks.example/a', types: ['gov.vantage.window.*'], createdAt: '2026-12-04T10:00:00.000Z', secret: fakeSecrets.generate() });
    expect(organisations.calls).toEqual([`ensureCaller ${AGENCY.orgId}`, `lock ${AGENCY.orgId}`]);
    expect(subscriptions.rows[0]).toMatchObject({ id: created.id, org_id: AGENCY.orgId, secret_sealed: fakeSecrets.seal(created.id, created.secret) });
  });

  it('refuses a type pattern that matches nothing, and a destination the policy refuses, before writing anything', async () => {
    const bad = build();
    await expect(bad.useCase.execute({ caller: AGENCY, url: 'https://hooks.example/a', types: ['gov.vantage.nothing.*'] }, TX)).rejects.toThrow(/types\[0\]/);
    const refused = build({ refuse: true });
    await expect(refused.useCase.execute({ caller: AGENCY, url: 'http://10.0.0.1/', types: ['*'] }, TX)).rejects.toThrow(/url is not allowed/);
    expect([...bad.subscriptions.calls, ...refused.subscriptions.calls]).toEqual([]);
  });

  it('refuses an organisation at its limit', async () => {
    const { useCase, subscriptions } = build({ rows: [subscriptionRow()], max: 1 });
    await expect(useCase.execute({ caller: AGENCY, url: 'https://hooks.example/b', types: ['*'] }, TX)).rejects.toBeInstanceOf(RuleViolationError);
    expect(subscriptions.rows).toHaveLength(1);
  });

  it("answers a repeated key with the first subscription and the secret it signs with now, opened from the store", async () => {
    const row = subscriptionRow({ secret_sealed: fakeSecrets.seal(subscriptionRow().id, 'whsec_current') });
    const first = { id: row.id, url: row.url, types: row.types, createdAt: '2026-12-01T00:00:00.000Z' };
    const { useCase, subscriptions } = build({ rows: [row], first });
    const again = await useCase.execute({ caller: AGENCY, url: row.url, types: ['*'], idempotency: { key: 'k1', requestHash: 'h' } }, TX);
    expect(again).toEqual({ ...first, secret: 'whsec_current' });
    expect(subscriptions.calls).toEqual([]);
  });
});
