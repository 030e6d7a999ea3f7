import { SubmissionReceived, SubmissionRescheduled, WindowOpened } from '@vantage/contracts';
import { DeclaredHandler, groupConsumers } from './consumer-discovery';
import { EventHandlerMeta } from './decorators';

const call = async () => undefined;
const handler = (meta: EventHandlerMeta): DeclaredHandler => ({ meta, call });

describe('groupConsumers', () => {
  it('makes one consumer per purpose, named for the service, on its domain stream', () => {
    const [group, ...rest] = groupConsumers([handler({ definition: SubmissionReceived, purpose: 'effects' })], 'notifier', 'vantage');
    expect(rest).toEqual([]);
    expect(group.durable).toBe('notifier-effects');
    expect(group.stream).toBe('VANTAGE_INTAKE');
    expect(group.filterSubject).toBe(SubmissionReceived.subject('vantage'));
    expect(group.concurrency).toBe(1);
    expect([...group.handlers.keys()]).toEqual([SubmissionReceived.type]);
    expect(group.handlers.get(SubmissionReceived.type)).toEqual({ definition: SubmissionReceived, batch: false, call });
  });

  it('filters on the domain wildcard when a consumer takes several subjects', () => {
    const groups = groupConsumers(
      [handler({ definition: SubmissionReceived, purpose: 'effects' }), handler({ definition: SubmissionRescheduled, purpose: 'effects' })],
      'notifier',
      'vantage',
    );
    expect(groups.map((g) => [g.durable, g.filterSubject])).toEqual([['notifier-effects', 'vantage.intake.>']]);
  });

  it('keeps purposes apart, and takes the highest concurrency of per-event handlers', () => {
    const groups = groupConsumers(
      [
        handler({ definition: SubmissionReceived, purpose: 'a', concurrency: 4 }),
        handler({ definition: SubmissionRescheduled, purpose: 'a', concurrency: 2 }),
        handler({ definition: SubmissionReceived, purpose: 'b', batch: true, concurrency: 8 }),
      ],
      'svc',
      'vantage',
    );
    expect(groups.map((g) => [g.durable, g.concurrency])).toEqual([
      ['svc-a', 4],
      ['svc-b', 1],
    ]);
    expect(groups[1].handlers.get(SubmissionReceived.type)?.batch).toBe(true);
  });

  it('refuses a consumer that would read two domains, or a type handled twice in one consumer', () => {
    expect(() =>
      groupConsumers([handler({ definition: SubmissionReceived, purpose: 'x' }), handler({ definition: WindowOpened, purpose: 'x' })], 'svc', 'vantage'),
    ).toThrow(`consumer svc-x mixes events of two domains; give ${WindowOpened.type} its own purpose`);
    expect(() =>
      groupConsumers([handler({ definition: SubmissionReceived, purpose: 'x' }), handler({ definition: SubmissionReceived, purpose: 'x' })], 'svc', 'vantage'),
    ).toThrow(`${SubmissionReceived.type} has two handlers in svc-x`);
  });
});
