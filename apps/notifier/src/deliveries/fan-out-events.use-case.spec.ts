import { ManualClock } from '@vantage/clock';
import { OrganisationStore } from '../audience/organisation-store';
import { EventStore } from '../events/event-store';
import { fakeOrganisationStore, fakeSubscriptionStore, LAB, subscriptionRow, TX } from '../subscriptions/fakes.testing';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { DeliveryStore } from './delivery-store';
import { FanOutEventsUseCase } from './fan-out-events.use-case';
import { event, fakeDeliveryStore, fakeEventStore } from './fakes.testing';

describe('FanOutEventsUseCase', () => {
  it('records organisations first, keeps every event with its subscriber body, and makes a delivery per wanting subscription', async () => {
    const clock = new ManualClock('2026-12-04T10:00:00Z');
    const organisations = fakeOrganisationStore();
    const events = fakeEventStore();
    const deliveries = fakeDeliveryStore();
    const subscriptions = fakeSubscriptionStore([
      subscriptionRow({ types: ['gov.vantage.window.*'] }),
      subscriptionRow({ id: '0190d1f6-0000-7000-8000-0000000000f6', types: ['gov.vantage.vuln.*'] }),
      subscriptionRow({ id: '0190d1f6-0000-7000-8000-0000000000f7', state: 'disabled' }),
    ]);
    const useCase = new FanOutEventsUseCase(
      clock, organisations as unknown as OrganisationStore, events as unknown as EventStore,
      subscriptions as unknown as SubscriptionStore, deliveries as unknown as DeliveryStore,
    );
    const batch = [event({ id: 'e1' }), event({ id: 'e2', audience: `org:${LAB.orgId}` }), event({ id: 'e3', type: 'gov.vantage.vuln.case.opened.v1', subject: undefined })];
    expect(await useCase.execute({ events: batch }, TX)).toBe(2);
    expect(organisations.calls).toEqual(['recordCreated 3']);
    expect(events.recorded[0].events.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(events.recorded[0].bodies.every((b) => !b.includes('audience'))).toBe(true);
    // e2 is the lab's alone; the disabled subscription gets nothing; an event without a subject has entity ''.
    expect(deliveries.inserted).toEqual([{
      rows: [
        { subscriptionId: subscriptionRow().id, eventId: 'e1', eventType: 'gov.vantage.window.window.opened.v1', entity: 'submission/1' },
        { subscriptionId: '0190d1f6-0000-7000-8000-0000000000f6', eventId: 'e3', eventType: 'gov.vantage.vuln.case.opened.v1', entity: '' },
      ],
      now: clock.now(), replay: false,
    }]);
  });

  it('does nothing for an empty batch', async () => {
    const deliveries = fakeDeliveryStore();
    const useCase = new FanOutEventsUseCase(new ManualClock(), {} as OrganisationStore, {} as EventStore, {} as SubscriptionStore, deliveries as unknown as DeliveryStore);
    expect(await useCase.execute({ events: [] }, TX)).toBe(0);
    expect(deliveries.inserted).toEqual([]);
  });
});
