// The loop of one durable consumer: takes its messages one by one (up to its concurrency) or in batches, and handles
// each in a transaction with its inbox record, inside a consumer span that continues the event's trace; then acks.
// A failure is settled as the failure policy decides (consumer-failure-policy.ts): nak with a delay, or dead-letter.
import { Logger } from '@nestjs/common';
import { ConsumerMessages, JsMsg } from 'nats';
import { DataSource } from 'typeorm';
import { EnvelopeInvalidError, EventEnvelope, parseEvent, PayloadInvalidError } from '@vantage/contracts';
import { Metrics, SpanKind, TraceContext } from '@vantage/observability';
import { claimInbox } from '@vantage/persistence';
import { BatchHandler, BoundHandler, ConsumerGroup, SingleHandler } from './consumer-discovery';
import { decideOnFailure, FailurePolicy, PermanentEventError } from './consumer-failure-policy';
import { sendToDeadLetter } from './dead-letter';
import { NatsClient } from './nats-client';

export interface ConsumerLoopDeps {
  service: string;
  dataSource: DataSource;
  nats: NatsClient;
  metrics: Metrics;
  log: Logger;
  /** VANTAGE_CONSUMER_BATCH: the most events one batch transaction takes. */
  batchSize: number;
  policy: FailurePolicy;
  /** False once the host stops: the loop takes no more messages. */
  isRunning: () => boolean;
}

export class ConsumerLoop {
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly group: ConsumerGroup,
    private readonly deps: ConsumerLoopDeps,
  ) {}

  /** Handles the consumer's messages until they end (the host stops them) and the last one is settled. */
  run(messages: ConsumerMessages): Promise<void> {
    const batchMode = [...this.group.handlers.values()].some((h) => h.batch);
    return batchMode ? this.pumpBatches(messages) : this.pump(messages);
  }

  private async pump(messages: ConsumerMessages): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    try {
      for await (const msg of messages) {
        const p = this.processOne(msg).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= this.group.concurrency) await Promise.race(inFlight);
        if (!this.deps.isRunning()) break;
      }
    } catch (e) {
      if (this.deps.isRunning()) this.deps.log.error(`consumer ${this.group.durable} stopped: ${(e as Error).message}`);
    } finally {
      await Promise.allSettled(inFlight);
    }
  }

  /**
   * Reading and handling run side by side: while one batch commits, the next gathers whatever arrives,
   * so batches grow under load and a lone event is handled at once.
   */
  private async pumpBatches(messages: ConsumerMessages): Promise<void> {
    const buffer: JsMsg[] = [];
    let arrived: (() => void) | undefined;
    let reading = true;
    const reader = (async () => {
      try {
        for await (const msg of messages) {
          buffer.push(msg);
          arrived?.();
        }
      } catch (e) {
        if (this.deps.isRunning()) this.deps.log.error(`consumer ${this.group.durable} stopped: ${(e as Error).message}`);
      } finally {
        reading = false;
        arrived?.();
      }
    })();
    while (reading || buffer.length) {
      if (buffer.length === 0) {
        await new Promise<void>((resolve) => (arrived = resolve));
        arrived = undefined;
        continue;
      }
      await this.processBatch(buffer.splice(0, this.deps.batchSize));
    }
    await reader;
  }

  private decode(msg: JsMsg): { handler?: BoundHandler; event?: EventEnvelope<any> } {
    let raw: any;
    try {
      raw = JSON.parse(this.decoder.decode(msg.data));
    } catch {
      throw new PermanentEventError('malformed', 'message is not JSON');
    }
    const handler = this.group.handlers.get(raw?.type);
    if (!handler) {
      if (typeof raw?.type !== 'string') throw new PermanentEventError('malformed', 'message has no event type');
      return {}; // another consumer's event on a shared wildcard filter
    }
    try {
      return { handler, event: parseEvent(handler.definition, raw) };
    } catch (e) {
      if (e instanceof PayloadInvalidError || e instanceof EnvelopeInvalidError) {
        throw new PermanentEventError('invalid-payload', (e as Error).message);
      }
      throw e;
    }
  }

  private async processOne(msg: JsMsg): Promise<void> {
    const group = this.group;
    let decoded: { handler?: BoundHandler; event?: EventEnvelope<any> };
    try {
      decoded = this.decode(msg);
    } catch (e) {
      return this.reject(msg, undefined, e as PermanentEventError);
    }
    const { handler, event } = decoded;
    if (!handler || !event) {
      msg.ack();
      return;
    }
    const labels = { consumer: group.durable, type: event.type };
    const started = performance.now();
    try {
      await TraceContext.run(
        { traceparent: event.traceparent, correlationId: event.correlationid },
        () =>
          this.deps.dataSource.transaction(async (tx) => {
            const fresh = await claimInbox(tx, group.durable, [event.id]);
            if (fresh.size === 0) return;
            if (handler.batch) await (handler.call as BatchHandler)([event], tx);
            else await (handler.call as SingleHandler)(event, tx);
          }),
        { name: `${event.type} process`, kind: SpanKind.CONSUMER, attributes: consumerSpanAttributes(group, msg, event.id) },
      );
      msg.ack();
      this.deps.metrics.eventsHandled.inc(labels);
      this.deps.metrics.handlerDuration.observe(labels, (performance.now() - started) / 1000);
    } catch (e) {
      await this.failed(msg, event.type, e as Error);
    }
  }

  private async processBatch(msgs: JsMsg[]): Promise<void> {
    const group = this.group;
    const valid: { msg: JsMsg; event: EventEnvelope<any>; handler: BoundHandler }[] = [];
    for (const msg of msgs) {
      try {
        const { handler, event } = this.decode(msg);
        if (handler && event) valid.push({ msg, event, handler });
        else msg.ack();
      } catch (e) {
        await this.reject(msg, undefined, e as PermanentEventError);
      }
    }
    if (valid.length === 0) return;
    const started = performance.now();
    try {
      const traces = valid.map((v) => ({ traceparent: v.event.traceparent, correlationId: v.event.correlationid }));
      const span = { name: `${group.durable} process`, kind: SpanKind.CONSUMER, attributes: { ...consumerSpanAttributes(group, valid[0].msg), 'messaging.batch.message_count': valid.length } };
      await TraceContext.batch(span, traces, () => this.deps.dataSource.transaction(async (tx) => {
        const fresh = await claimInbox(tx, group.durable, valid.map((v) => v.event.id));
        const byType = new Map<string, { handler: BoundHandler; events: EventEnvelope<any>[] }>();
        for (const v of valid) {
          if (!fresh.has(v.event.id)) continue;
          fresh.delete(v.event.id); // the same event twice in one batch is handled once
          const entry = byType.get(v.event.type) ?? { handler: v.handler, events: [] };
          entry.events.push(v.event);
          byType.set(v.event.type, entry);
        }
        for (const { handler, events } of byType.values()) {
          if (handler.batch) await (handler.call as BatchHandler)(events, tx);
          else for (const event of events) await (handler.call as SingleHandler)(event, tx);
        }
      }));
    } catch (e) {
      // One bad event must not hold back the others: retry each on its own.
      this.deps.log.warn(`batch of ${valid.length} on ${group.durable} failed (${(e as Error).message}); handling one by one`);
      for (const v of valid) await this.processOne(v.msg);
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    const perType = new Map<string, number>();
    for (const v of valid) {
      v.msg.ack();
      perType.set(v.event.type, (perType.get(v.event.type) ?? 0) + 1);
    }
    for (const [type, count] of perType) {
      const labels = { consumer: group.durable, type };
      this.deps.metrics.eventsHandled.inc(labels, count);
      // One observation per batch: the time the batch's transaction took.
      this.deps.metrics.handlerDuration.observe(labels, seconds);
    }
  }

  /** Carries out the failure policy's decision for a delivery whose handling failed. */
  private async failed(msg: JsMsg, type: string, error: Error): Promise<void> {
    const durable = this.group.durable;
    this.deps.metrics.eventsFailed.inc({ consumer: durable, type });
    const delivery = msg.info.deliveryCount;
    const decision = decideOnFailure({ error, delivery }, this.deps.policy, Math.random());
    switch (decision.kind) {
      case 'wait':
        this.deps.log.warn(`${type} on ${durable} waits for ${decision.waitsFor} (delivery ${delivery}): ${error.message}`);
        msg.nak(decision.delayMs);
        return;
      case 'dead-letter':
        await this.reject(msg, type, decision.error);
        return;
      case 'retry':
        this.deps.log.warn(`${type} on ${durable} failed (delivery ${delivery}/${this.deps.policy.maxDeliver}), retrying in ${decision.delayMs} ms: ${error.message}`);
        msg.nak(decision.delayMs);
        return;
    }
  }

  /** Parks the message on the dead-letter subject, then stops its delivery; if it cannot be parked, it is redelivered. */
  private async reject(msg: JsMsg, type: string | undefined, error: PermanentEventError): Promise<void> {
    const durable = this.group.durable;
    try {
      await sendToDeadLetter(this.deps.nats, this.deps.service, durable, msg, error.reason, error.message);
    } catch (e) {
      // Could not park it: leave it to be redelivered rather than lose it.
      this.deps.log.error(`could not dead-letter a message of ${durable}: ${(e as Error).message}`);
      msg.nak(this.deps.policy.retryBaseMs);
      return;
    }
    msg.term();
    this.deps.metrics.eventsDeadLettered.inc({ consumer: durable, type: type ?? 'unknown' });
    this.deps.log.error(`dead-lettered a message of ${durable} (${error.reason}): ${error.message}`);
  }
}

/** What a consumer's span says of the event it handles (OpenTelemetry's messaging conventions). */
function consumerSpanAttributes(group: ConsumerGroup, msg: JsMsg, eventId?: string): Record<string, string> {
  return {
    'messaging.system': 'nats',
    'messaging.operation.type': 'process',
    'messaging.destination.name': msg.subject,
    'messaging.consumer.group.name': group.durable,
    ...(eventId ? { 'messaging.message.id': eventId } : {}),
  };
}
