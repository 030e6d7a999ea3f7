import { ManualClock } from '@vantage/clock';
import { RuleViolationError } from '@vantage/contracts';
import { OrganisationStore } from '../audience/organisation-store';
import { NotifierConfig } from '../config';
import { EventStore, ReplayableEvent } from '../events/event-store';
import { AGENCY, fakeOrganisationStore, fakeSubscriptionStore, subscriptionRow, TX } from '../subscriptions/fakes.testing';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { DeliveryStore } from './delivery-store';
import { fakeDeliveryStore, fakeEventStore } from './fakes.testing';
import { decodeReplayCursor } from './replay-cursor';
import { ReplayDeliveriesUseCase } from './replay-deliveries.use-case';

const at = (s: number) => `2026-12-04T09:00:0${s}.000000Z`;
const replayable = (n: number, audience = 'role:agency'): ReplayableEvent => ({
  id: `0190d1f6-0000-7000-8000-00000000010${n}`, type: 'gov.vantage.window.window.opened.v1', audience, at: at(n), subject: `submission/${n}`,
});

function build(history: ReplayableEvent[], max: number, state: 'active' | 'disabled' = 'active') {
  const deliveries = fakeDeliveryStore();
  const useCase = new ReplayDeliveriesUseCase(
    new ManualClock('2026-12-04T10:00:00Z'),
    fakeSubscriptionStore([subscriptionRow({ state })]) as unknown as SubscriptionStore,
    fakeOrganisationStore([{ id: AGENCY.orgId, kind: 'agency', clearance: 'secret' }]) as unknown as OrganisationStore,
    fakeEventStore(history) as unknown as EventStore,
    deliveries as unknown as DeliveryStore,
    { REPLAY_MAX_EVENTS: max } as NotifierConfig,
  );
  return { useCase, deliveries };
}

describe('ReplayDeliveriesUseCase', () => {
  it('queues again, as replays, the events since the time that the owner may see, bounded, with a cursor to go on', async () => {
    const history = [replayable(1), replayable(2, 'role:lab'), replayable(3), replayable(4)];
    const { useCase, deliveries } = build(history, 3);
    const first = await useCase.execute({ caller: AGENCY, subscriptionId: subscriptionRow().id, since: new Date(at(0)) }, TX);
    // Three looked at, one of them not the agency's to see.
    expect(first.queued).toBe(2);
    expect(deliveries.inserted[0]).toMatchObject({ replay: true, rows: [{ eventId: history[0].id, entity: 'submission/1' }, { eventId: history[2].id }] });
    expect(decodeReplayCursor(first.nextCursor!)).toEqual({ time: history[2].at, id: history[2].id });
    const rest = await useCase.execute({ caller: AGENCY, subscriptionId: subscriptionRow().id, since: new Date(at(0)), cursor: first.nextCursor }, TX);
    expect(rest).toEqual({ queued: 1 });
  });

  it('refuses a disabled subscription and a cursor it did not give', async () => {
    await expect(build([], 10, 'disabled').useCase.execute({ caller: AGENCY, subscriptionId: subscriptionRow().id, since: new Date(at(0)) }, TX)).rejects.toBeInstanceOf(RuleViolationError);
    await expect(build([], 10).useCase.execute({ caller: AGENCY, subscriptionId: subscriptionRow().id, since: new Date(at(0)), cursor: 'bogus' }, TX)).rejects.toThrow(/cursor/);
  });
});
