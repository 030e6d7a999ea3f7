// Webhook fan-out takes every event type Vantage defines, so a newly defined event reaches every subscriber without
// touching this handler, on one durable consumer per producing domain (`notifier-fanout-intake`,
// `notifier-fanout-window`, …), since a consumer reads one stream. The per-organisation NATS feeds are a consumer of
// their own (feeds/feed.handlers.ts).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EVENT_CATALOGUE, EventEnvelope } from '@vantage/contracts';
import { ConsumeEvents } from '@vantage/messaging';
import { FanOutEventsUseCase } from './fan-out-events.use-case';

@Injectable()
export class FanOutHandlers {
  constructor(private readonly fanOut: FanOutEventsUseCase) {}

  @ConsumeEvents(EVENT_CATALOGUE, { purpose: 'fanout', perDomain: true, batch: true })
  async onEvents(events: EventEnvelope<unknown>[], tx: EntityManager): Promise<void> {
    await this.fanOut.execute({ events }, tx);
  }
}
