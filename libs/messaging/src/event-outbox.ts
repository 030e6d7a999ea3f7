// The one way a service publishes an event: as an outbox row in the transaction that changes its state.
import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { Audience, createEvent, EventDefinition, EventEnvelope } from '@vantage/contracts';
import { TraceContext } from '@vantage/observability';
import { appendToOutbox } from '@vantage/persistence';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { outboxChannel, OutboxRelay } from './outbox-relay';

export interface EventToRecord<T extends object> {
  /** The id of the entity the event is about. */
  subject: string;
  data: T;
  audience: Audience;
}

@Injectable()
export class EventOutbox {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly clock: Clock,
    /** This process's relay; absent where none runs (the admin command line), and then commits always NOTIFY. */
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  /** Builds and validates the event, and writes it to the outbox inside `tx`. Returns the envelope. */
  async record<T extends object>(tx: EntityManager, definition: EventDefinition<T>, event: EventToRecord<T>): Promise<EventEnvelope<T>> {
    const [envelope] = await this.recordMany(tx, definition, [event]);
    return envelope;
  }

  async recordMany<T extends object>(tx: EntityManager, definition: EventDefinition<T>, events: EventToRecord<T>[]): Promise<EventEnvelope<T>[]> {
    const trace = TraceContext.current();
    const time = this.clock.now();
    const envelopes = events.map((e) =>
      createEvent(definition, {
        source: this.options.service,
        subject: e.subject,
        data: e.data,
        audience: e.audience,
        time,
        traceparent: trace?.traceparent,
        correlationId: trace?.correlationId,
      }),
    );
    const natsSubject = definition.subject(this.options.config.VANTAGE_NATS_PREFIX);
    // Wakes the relay when (and only if) the transaction commits: in-process when this process's relay holds
    // the lock, otherwise by NOTIFY to whichever replica's relay does.
    const notify = this.relay?.wakesOnLocalCommit ? undefined : outboxChannel(this.options);
    await appendToOutbox(tx, envelopes.map((envelope) => ({ envelope, natsSubject })), notify);
    return envelopes;
  }
}
