import { MessagingOptions, NatsClient, StreamMessage } from '@vantage/messaging';
import { OrganisationStore } from '../audience/organisation-store';
import { event } from '../deliveries/fakes.testing';
import { fakeOrganisationStore, TX } from '../subscriptions/fakes.testing';
import { RepublishToFeedsUseCase } from './republish-to-feeds.use-case';

describe('RepublishToFeedsUseCase', () => {
  it("records organisations, then publishes each event to the feed of every organisation in its audience, once per (event, organisation)", async () => {
    const published: StreamMessage[] = [];
    const nats = { async publishToStreams(messages: StreamMessage[]) { published.push(...messages); } };
    const directory = fakeOrganisationStore([
      { id: 'agency-a', kind: 'agency', clearance: 'secret' },
      { id: 'agency-b', kind: 'agency', clearance: null },
      { id: 'lab-c', kind: 'lab', clearance: null },
    ]);
    const useCase = new RepublishToFeedsUseCase(
      { config: { VANTAGE_NATS_PREFIX: 'px' } } as unknown as MessagingOptions, nats as unknown as NatsClient, directory as unknown as OrganisationStore,
    );
    const sent = await useCase.execute({ events: [event({ id: 'e1', audience: 'role:agency+clearance:secret', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } as never)] }, TX);
    expect(sent).toBe(1);
    expect(directory.calls).toEqual(['recordCreated 1']);
    expect(published[0].subject).toContain('agency-a');
    expect(published[0].headers?.get('traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(new TextDecoder().decode(published[0].data)).not.toContain('audience');
  });
});
