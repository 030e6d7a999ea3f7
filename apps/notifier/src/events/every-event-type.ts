// The notifier's consumers take every event type Vantage defines: one batch handler per type, made from the
// catalogue, so a newly defined event reaches every channel without touching the handlers. Each purpose is one
// durable consumer per producing domain (`notifier-<purpose>-intake`, `notifier-<purpose>-window`, …), since a
// consumer reads one stream.
import { EntityManager } from 'typeorm';
import { EVENT_CATALOGUE, EventDefinition, EventEnvelope } from '@vantage/contracts';
import { ConsumeEvent } from '@vantage/messaging';

export type BatchHandler<T> = (this: T, events: EventEnvelope<unknown>[], tx: EntityManager) => Promise<void>;

export function handleEveryEventType<T>(
  target: abstract new (...args: any[]) => T,
  purpose: string,
  handlerFor: (definition: EventDefinition<any>) => BatchHandler<T>,
): void {
  for (const definition of EVENT_CATALOGUE) {
    const name = `${purpose} ${definition.type}`;
    const handle = handlerFor(definition);
    // A function of its own per type: the handler's metadata is stored on the function.
    const value: BatchHandler<T> = function (events, tx) {
      return handle.call(this, events, tx);
    };
    Object.defineProperty(target.prototype, name, { value, writable: true, configurable: true });
    const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name)!;
    ConsumeEvent(definition, { purpose: `${purpose}-${definition.domain}`, batch: true })(target.prototype, name, descriptor);
  }
}
