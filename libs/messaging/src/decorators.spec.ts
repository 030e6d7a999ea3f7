import { OrganisationCreated, SubmissionReceived, SubmissionRescheduled, WindowOpened } from '@vantage/contracts';
import { groupConsumers } from './consumer-discovery';
import { ConsumeEvent, ConsumeEvents, EVENT_HANDLER, EventHandlerMeta } from './decorators';

class Handlers {
  @ConsumeEvent(SubmissionReceived, { purpose: 'effects', concurrency: 2 })
  async onReceived(): Promise<void> {}

  @ConsumeEvents([SubmissionReceived, SubmissionRescheduled, WindowOpened, OrganisationCreated], { purpose: 'fanout', perDomain: true, batch: true })
  async onAny(): Promise<void> {}

  @ConsumeEvents([SubmissionReceived, SubmissionRescheduled], { purpose: 'audit' })
  async onSubmission(): Promise<void> {}
}

const metaOf = (method: keyof Handlers): EventHandlerMeta[] => Reflect.getMetadata(EVENT_HANDLER, Handlers.prototype[method]);

describe('@ConsumeEvent and @ConsumeEvents', () => {
  it('@ConsumeEvent declares one event', () => {
    expect(metaOf('onReceived')).toEqual([{ definition: SubmissionReceived, purpose: 'effects', concurrency: 2 }]);
  });

  it('@ConsumeEvents declares each of its events, with perDomain on a consumer per producing domain', () => {
    expect(metaOf('onAny')).toEqual([
      { definition: SubmissionReceived, purpose: 'fanout-intake', batch: true },
      { definition: SubmissionRescheduled, purpose: 'fanout-intake', batch: true },
      { definition: WindowOpened, purpose: 'fanout-window', batch: true },
      { definition: OrganisationCreated, purpose: 'fanout-intake', batch: true },
    ]);
    expect(metaOf('onSubmission')).toEqual([
      { definition: SubmissionReceived, purpose: 'audit' },
      { definition: SubmissionRescheduled, purpose: 'audit' },
    ]);
  });

  it('groups a method of several events into the consumers it names, all calling that method', () => {
    const call = async () => undefined;
    const groups = groupConsumers(metaOf('onAny').map((meta) => ({ meta, call })), 'notifier', 'vantage');
    expect(groups.map((g) => [g.durable, g.stream, [...g.handlers.keys()]])).toEqual([
      ['notifier-fanout-intake', 'VANTAGE_INTAKE', [SubmissionReceived.type, SubmissionRescheduled.type, OrganisationCreated.type]],
      ['notifier-fanout-window', 'VANTAGE_WINDOW', [WindowOpened.type]],
    ]);
    for (const g of groups) for (const h of g.handlers.values()) expect(h.call).toBe(call);
  });

  it('@ConsumeEvents refuses an empty list', () => {
    expect(() => ConsumeEvents([], { purpose: 'nothing' })).toThrow('@ConsumeEvents for nothing has no event definitions');
  });
});
