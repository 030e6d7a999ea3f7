// Webhook fan-out takes every event type Vantage defines, on one durable consumer per producing domain
// (`notifier-fanout-intake`, `notifier-fanout-window`, …). The per-organisation NATS feeds are a consumer of
// their own (feeds/feed.handlers.ts).
import { Injectable } from '@nestjs/common';
import { EventEnvelope, OrganisationCreated, OrganisationCreatedV1 } from '@vantage/contracts';
import { BatchHandler, handleEveryEventType } from '../events/every-event-type';
import { OrganisationDirectory } from '../subscriptions/organisation-directory';
import { FanOutEventsUseCase } from './fan-out-events.use-case';

@Injectable()
export class FanOutHandlers {
  constructor(
    readonly fanOut: FanOutEventsUseCase,
    readonly organisations: OrganisationDirectory,
  ) {}
}

const fanOutOnly: BatchHandler<FanOutHandlers> = async function (events, tx) {
  await this.fanOut.execute(tx, events);
};

// An organisation is recorded before the event is fanned out, in the same transaction.
const recordOrganisationThenFanOut: BatchHandler<FanOutHandlers> = async function (events, tx) {
  await this.organisations.recordCreated(tx, events as EventEnvelope<OrganisationCreatedV1>[]);
  await this.fanOut.execute(tx, events);
};

handleEveryEventType(FanOutHandlers, 'fanout', (definition) => (definition === OrganisationCreated ? recordOrganisationThenFanOut : fanOutOnly));
