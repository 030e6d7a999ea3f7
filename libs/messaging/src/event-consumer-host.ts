// Runs the service's event handlers on durable pull consumers shared by all its replicas.
// Per message: validate → (inbox record + effects) in one transaction → ack. Transient failure: nak with
// backoff. After max-deliver, or at once for a malformed event: dead-letter, then term. A failure because
// Postgres is unavailable is retried until it is back and does not count towards max-deliver.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JsMsg, ReplayPolicy } from 'nats';
import { DataSource, EntityManager } from 'typeorm';
import { EnvelopeInvalidError, EventDefinition, EventEnvelope, parseEvent, PayloadInvalidError } from '@vantage/contracts';
import { Metrics, ReadinessRegistry, SpanKind, TraceContext } from '@vantage/observability';
import { claimInbox, isDatabaseUnavailable } from '@vantage/persistence';
import { DeadLetterReason, sendToDeadLetter } from './dead-letter';
import { discoverHandlers } from './discover-handlers';
import { EVENT_HANDLER, EventHandlerMeta } from './decorators';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient, StreamUnavailableError } from './nats-client';
import { streamNameOf } from './streams';

type SingleHandler = (event: EventEnvelope<any>, tx: EntityManager) => Promise<void>;
type BatchHandler = (events: EventEnvelope<any>[], tx: EntityManager) => Promise<void>;

interface BoundHandler {
  definition: EventDefinition<any>;
  batch: boolean;
  call: SingleHandler | BatchHandler;
}

interface ConsumerGroup {
  durable: string;
  stream: string;
  filterSubject: string;
  concurrency: number;
  handlers: Map<string, BoundHandler>;
}

/** How often a consumer whose stream does not exist yet looks for it again. */
const STREAM_WAIT_MS = 1000;

/** Longest pause between redeliveries of an event that failed because Postgres was unavailable. */
const OUTAGE_RETRY_CAP_MS = 5000;

function isStreamMissing(e: unknown): boolean {
  const err = e as { api_error?: { err_code?: number }; message?: string };
  return err?.api_error?.err_code === 10059 || /stream not found/i.test(String(err?.message));
}

class PermanentEventError extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    message: string,
  ) {
    super(message);
  }
}

@Injectable()
export class EventConsumerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(EventConsumerHost.name);
  private readonly groups: ConsumerGroup[] = [];
  private readonly subscriptions: ConsumerMessages[] = [];
  private readonly loops: Promise<void>[] = [];
  private running = false;
  private readonly decoder = new TextDecoder();
  /** Consumers waiting for their stream to be made by its producer. */
  private readonly waiting = new Set<string>();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
    private readonly metrics: Metrics,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** The durable consumer names this service uses, e.g. for operators and tests. */
  get consumers(): string[] {
    return this.groups.map((g) => g.durable);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.discover();
    this.running = true;
    this.readiness.register('event-consumers', async () => {
      if (this.waiting.size > 0) throw new Error(`waiting for the streams of ${[...this.waiting].join(', ')}`);
    });
    for (const group of this.groups) {
      try {
        await this.attach(group);
      } catch (e) {
        if (!isStreamMissing(e)) throw e;
        // A stream is made by the service that publishes to it (this one may not: bus-rights.ts); until that service
        // has started once, wait for it rather than fail, and say so on /health/ready.
        this.waiting.add(group.durable);
        this.log.warn(`consumer ${group.durable} waits for stream ${group.stream}, which its producer has not made yet`);
        this.loops.push(this.attachOnceStreamExists(group));
      }
    }
  }

  private async attach(group: ConsumerGroup): Promise<void> {
    await this.ensureConsumer(group);
    const consumer = await this.nats.jetstream.consumers.get(group.stream, group.durable);
    const messages = await consumer.consume({ max_messages: Math.max(this.options.config.VANTAGE_CONSUMER_BATCH * 2, 10) });
    this.subscriptions.push(messages);
    this.loops.push(this.pump(group, messages));
  }

  private async attachOnceStreamExists(group: ConsumerGroup): Promise<void> {
    while (this.running) {
      await new Promise((resolve) => setTimeout(resolve, STREAM_WAIT_MS));
      if (!this.running) return;
      try {
        await this.attach(group);
        this.waiting.delete(group.durable);
        this.log.log(`consumer ${group.durable} attached to stream ${group.stream}`);
        return;
      } catch (e) {
        if (!isStreamMissing(e)) this.log.error(`consumer ${group.durable} could not attach: ${(e as Error).message}`);
      }
    }
  }

  /** Stops taking messages and lets in-flight ones finish; unacked buffered messages are redelivered to others. */
  async onModuleDestroy(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const s of this.subscriptions) s.stop();
    await Promise.allSettled(this.loops);
  }

  private discover(): void {
    const byDurable = new Map<string, ConsumerGroup>();
    for (const { meta, call } of discoverHandlers<EventHandlerMeta>(this.discovery, this.scanner, this.reflector, EVENT_HANDLER)) {
      const durable = `${this.options.service}-${meta.purpose}`;
      const stream = streamNameOf(this.options.config.VANTAGE_NATS_PREFIX, meta.definition.domain);
      let group = byDurable.get(durable);
      if (!group) {
        group = { durable, stream, filterSubject: '', concurrency: 1, handlers: new Map() };
        byDurable.set(durable, group);
      }
      if (group.stream !== stream) {
        throw new Error(`consumer ${durable} mixes events of two domains; give ${meta.definition.type} its own purpose`);
      }
      if (group.handlers.has(meta.definition.type)) throw new Error(`${meta.definition.type} has two handlers in ${durable}`);
      group.concurrency = Math.max(group.concurrency, meta.batch ? 1 : (meta.concurrency ?? 1));
      group.handlers.set(meta.definition.type, { definition: meta.definition, batch: !!meta.batch, call: call as SingleHandler });
    }
    const prefix = this.options.config.VANTAGE_NATS_PREFIX;
    for (const group of byDurable.values()) {
      const subjects = new Set([...group.handlers.values()].map((h) => h.definition.subject(prefix)));
      // NATS 2.9 takes one filter subject: exact when one subject, else the domain's wildcard.
      group.filterSubject = subjects.size === 1 ? [...subjects][0] : `${prefix}.${[...group.handlers.values()][0].definition.domain}.>`;
      this.groups.push(group);
    }
  }

  private async ensureConsumer(group: ConsumerGroup): Promise<void> {
    const config = {
      durable_name: group.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      replay_policy: ReplayPolicy.Instant,
      filter_subject: group.filterSubject,
      ack_wait: this.options.config.VANTAGE_ACK_WAIT_MS * 1_000_000,
      // Unlimited at the server: the host itself dead-letters after VANTAGE_MAX_DELIVER, so that a message
      // is never dropped silently by a crash on its last delivery.
      max_deliver: -1,
      max_ack_pending: 10_000,
    };
    const jsm = this.nats.manager;
    const existing = await jsm.consumers.info(group.stream, group.durable).catch(() => undefined);
    if (!existing) {
      await jsm.consumers.add(group.stream, config);
    } else if (existing.config.filter_subject !== group.filterSubject || existing.config.ack_wait !== config.ack_wait) {
      await jsm.consumers.update(group.stream, group.durable, config);
    }
  }

  private async pump(group: ConsumerGroup, messages: ConsumerMessages): Promise<void> {
    const batchMode = [...group.handlers.values()].some((h) => h.batch);
    if (batchMode) return this.pumpBatches(group, messages);
    const inFlight = new Set<Promise<void>>();
    try {
      for await (const msg of messages) {
        const p = this.processOne(group, msg).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= group.concurrency) await Promise.race(inFlight);
        if (!this.running) break;
      }
    } catch (e) {
      if (this.running) this.log.error(`consumer ${group.durable} stopped: ${(e as Error).message}`);
    } finally {
      await Promise.allSettled(inFlight);
    }
  }

  /**
   * Reading and handling run side by side: while one batch commits, the next gathers whatever arrives,
   * so batches grow under load and a lone event is handled at once.
   */
  private async pumpBatches(group: ConsumerGroup, messages: ConsumerMessages): Promise<void> {
    const batchSize = this.options.config.VANTAGE_CONSUMER_BATCH;
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
        if (this.running) this.log.error(`consumer ${group.durable} stopped: ${(e as Error).message}`);
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
      await this.processBatch(group, buffer.splice(0, batchSize));
    }
    await reader;
  }

  private decode(group: ConsumerGroup, msg: JsMsg): { handler?: BoundHandler; event?: EventEnvelope<any> } {
    let raw: any;
    try {
      raw = JSON.parse(this.decoder.decode(msg.data));
    } catch {
      throw new PermanentEventError('malformed', 'message is not JSON');
    }
    const handler = group.handlers.get(raw?.type);
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

  private async processOne(group: ConsumerGroup, msg: JsMsg): Promise<void> {
    let decoded: { handler?: BoundHandler; event?: EventEnvelope<any> };
    try {
      decoded = this.decode(group, msg);
    } catch (e) {
      return this.reject(group, msg, undefined, e as PermanentEventError);
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
          this.dataSource.transaction(async (tx) => {
            const fresh = await claimInbox(tx, group.durable, [event.id]);
            if (fresh.size === 0) return;
            if (handler.batch) await (handler.call as BatchHandler)([event], tx);
            else await (handler.call as SingleHandler)(event, tx);
          }),
        { name: `${event.type} process`, kind: SpanKind.CONSUMER, attributes: consumerSpanAttributes(group, msg, event.id) },
      );
      msg.ack();
      this.metrics.eventsHandled.inc(labels);
      this.metrics.handlerDuration.observe(labels, (performance.now() - started) / 1000);
    } catch (e) {
      await this.failed(group, msg, event.type, e as Error);
    }
  }

  private async processBatch(group: ConsumerGroup, msgs: JsMsg[]): Promise<void> {
    const valid: { msg: JsMsg; event: EventEnvelope<any>; handler: BoundHandler }[] = [];
    for (const msg of msgs) {
      try {
        const { handler, event } = this.decode(group, msg);
        if (handler && event) valid.push({ msg, event, handler });
        else msg.ack();
      } catch (e) {
        await this.reject(group, msg, undefined, e as PermanentEventError);
      }
    }
    if (valid.length === 0) return;
    const started = performance.now();
    try {
      const traces = valid.map((v) => ({ traceparent: v.event.traceparent, correlationId: v.event.correlationid }));
      const span = { name: `${group.durable} process`, kind: SpanKind.CONSUMER, attributes: { ...consumerSpanAttributes(group, valid[0].msg), 'messaging.batch.message_count': valid.length } };
      await TraceContext.batch(span, traces, () => this.dataSource.transaction(async (tx) => {
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
      this.log.warn(`batch of ${valid.length} on ${group.durable} failed (${(e as Error).message}); handling one by one`);
      for (const v of valid) await this.processOne(group, v.msg);
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
      this.metrics.eventsHandled.inc(labels, count);
      // One observation per batch: the time the batch's transaction took.
      this.metrics.handlerDuration.observe(labels, seconds);
    }
  }

  private async failed(group: ConsumerGroup, msg: JsMsg, type: string, error: Error): Promise<void> {
    const labels = { consumer: group.durable, type };
    this.metrics.eventsFailed.inc(labels);
    const attempt = msg.info.deliveryCount;
    const max = this.options.config.VANTAGE_MAX_DELIVER;
    const waitsFor = isDatabaseUnavailable(error) ? 'the database' : error instanceof StreamUnavailableError ? 'JetStream' : undefined;
    if (waitsFor) {
      // An outage says nothing about the event: it waits for Postgres, or for a stream it publishes to (a cluster
      // electing a new leader, say), however many deliveries that takes, and is never dead-lettered for it. The pause
      // is capped low so that the end of an outage is noticed within seconds.
      const pause = Math.min(OUTAGE_RETRY_CAP_MS, this.options.config.VANTAGE_RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 16));
      this.log.warn(`${type} on ${group.durable} waits for ${waitsFor} (delivery ${attempt}): ${error.message}`);
      msg.nak(Math.round(pause * (0.8 + Math.random() * 0.4)));
      return;
    }
    if (attempt >= max) {
      await this.reject(group, msg, type, new PermanentEventError('max-deliver', `failed ${attempt} times; last: ${error.message}`));
      return;
    }
    const delay = Math.min(30_000, this.options.config.VANTAGE_RETRY_BASE_MS * 2 ** (attempt - 1));
    const jittered = Math.round(delay * (0.8 + Math.random() * 0.4));
    this.log.warn(`${type} on ${group.durable} failed (delivery ${attempt}/${max}), retrying in ${jittered} ms: ${error.message}`);
    msg.nak(jittered);
  }

  private async reject(group: ConsumerGroup, msg: JsMsg, type: string | undefined, error: PermanentEventError): Promise<void> {
    try {
      await sendToDeadLetter(this.nats, this.options.service, group.durable, msg, error.reason, error.message);
    } catch (e) {
      // Could not park it: leave it to be redelivered rather than lose it.
      this.log.error(`could not dead-letter a message of ${group.durable}: ${(e as Error).message}`);
      msg.nak(this.options.config.VANTAGE_RETRY_BASE_MS);
      return;
    }
    msg.term();
    this.metrics.eventsDeadLettered.inc({ consumer: group.durable, type: type ?? 'unknown' });
    this.log.error(`dead-lettered a message of ${group.durable} (${error.reason}): ${error.message}`);
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
