// One batch handler for every event type Vantage defines, on one durable consumer per producing domain
// (`notifier-fanout-intake`, `notifier-fanout-window`, …): a consumer reads one stream. The methods are made
// from the catalogue, so a newly defined event is fanned out without touching this file.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EVENT_CATALOGUE, EventEnvelope, OrganisationCreated, OrganisationCreatedV1 } from '@vantage/contracts';
import { OnEvent } from '@vantage/messaging';
import { OrganisationDirectory } from '../subscriptions/organisation-directory';
import { FanOutEventsUseCase } from './fan-out-events.use-case';

type BatchHandler = (this: FanOutHandlers, events: EventEnvelope<unknown>[], tx: EntityManager) => Promise<void>;

@Injectable()
export class FanOutHandlers {
  constructor(
    readonly fanOut: FanOutEventsUseCase,
    readonly organisations: OrganisationDirectory,
  ) {}
}

const fanOutOnly: BatchHandler = async function (events, tx) {
  await this.fanOut.execute(tx, events);
};

// An organisation is recorded before the event is fanned out, in the same transaction.
const recordOrganisationThenFanOut: BatchHandler = async function (events, tx) {
  await this.organisations.recordCreated(tx, events as EventEnvelope<OrganisationCreatedV1>[]);
  await this.fanOut.execute(tx, events);
};

for (const definition of EVENT_CATALOGUE) {
  const name = `fanOut ${definition.type}`;
  const handle = definition === OrganisationCreated ? recordOrganisationThenFanOut : fanOutOnly;
  // A function of its own per type: the handler's metadata is stored on the function.
  const value: BatchHandler = function (events, tx) {
    return handle.call(this, events, tx);
  };
  Object.defineProperty(FanOutHandlers.prototype, name, { value, writable: true, configurable: true });
  const descriptor = Object.getOwnPropertyDescriptor(FanOutHandlers.prototype, name)!;
  OnEvent(definition, { purpose: `fanout-${definition.domain}`, batch: true })(FanOutHandlers.prototype, name, descriptor);
}
