// Runs the service's event handlers on durable pull consumers shared by all its replicas: finds them
// (consumer-discovery.ts), makes or updates their JetStream consumers, and runs a loop per consumer (consumer-loops.ts).
// Per message: validate → (inbox record + effects) in one transaction → ack. Transient failure: nak with
// backoff. After max-deliver, or at once for a malformed event: dead-letter, then term. A failure because
// Postgres is unavailable is retried until it is back and does not count towards max-deliver
// (consumer-failure-policy.ts).
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { AckPolicy, ConsumerMessages, DeliverPolicy, ReplayPolicy } from 'nats';
import { DataSource } from 'typeorm';
import { Metrics, ReadinessRegistry } from '@vantage/observability';
import { ConsumerGroup, discoverConsumers } from './consumer-discovery';
import { ConsumerLoop, ConsumerLoopDeps } from './consumer-loops';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient } from './nats-client';
import { naming } from './streams';

/** How often a consumer whose stream does not exist yet looks for it again. */
const STREAM_WAIT_MS = 1000;

function isStreamMissing(e: unknown): boolean {
  const err = e as { api_error?: { err_code?: number }; message?: string };
  return err?.api_error?.err_code === 10059 || /stream not found/i.test(String(err?.message));
}

@Injectable()
export class EventConsumerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(EventConsumerHost.name);
  private groups: ConsumerGroup[] = [];
  private readonly subscriptions: ConsumerMessages[] = [];
  private readonly loops: Promise<void>[] = [];
  private running = false;
  /** Consumers waiting for their stream to be made by its producer. */
  private readonly waiting = new Set<string>();
  private readonly loopDeps: ConsumerLoopDeps;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @InjectDataSource() dataSource: DataSource,
    private readonly nats: NatsClient,
    metrics: Metrics,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly readiness: ReadinessRegistry,
  ) {
    const c = options.config;
    this.loopDeps = {
      service: options.service,
      dataSource,
      nats,
      metrics,
      log: this.log,
      batchSize: c.VANTAGE_CONSUMER_BATCH,
      policy: { maxDeliver: c.VANTAGE_MAX_DELIVER, retryBaseMs: c.VANTAGE_RETRY_BASE_MS },
      isRunning: () => this.running,
    };
  }

  /** The durable consumer names this service uses, e.g. for operators and tests. */
  get consumers(): string[] {
    return this.groups.map((g) => g.durable);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.groups = discoverConsumers(this.discovery, this.scanner, this.reflector, this.options.service, this.options.config.VANTAGE_NATS_PREFIX);
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
    this.loops.push(new ConsumerLoop(group, this.loopDeps).run(messages));
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
    await naming(`consumer ${group.durable} on ${group.stream}`, async () => {
      const existing = await jsm.consumers.info(group.stream, group.durable).catch(() => undefined);
      if (!existing) {
        await jsm.consumers.add(group.stream, config);
      } else if (existing.config.filter_subject !== group.filterSubject || existing.config.ack_wait !== config.ack_wait) {
        await jsm.consumers.update(group.stream, group.durable, config);
      }
    });
  }
}
