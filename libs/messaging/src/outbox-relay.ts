// Publishes committed outbox rows to JetStream, in order, and marks them sent. One relay of a service is
// active at a time (a Postgres advisory lock), which keeps per-entity order across replicas. A crash
// between publish and mark re-publishes on restart with the same Nats-Msg-Id: the server drops the copy.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { headers as natsHeaders } from 'nats';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Metrics } from '@vantage/observability';
import { PendingOutboxRow } from '@vantage/persistence';
import { outboxChannel } from './event-outbox';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient } from './nats-client';

@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private listener?: Client;
  private gaugeTimer?: NodeJS.Timeout;
  private coalescing?: NodeJS.Timeout;
  private readonly encoder = new TextEncoder();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly nats: NatsClient,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.config.OUTBOX_RELAY_ENABLED) return;
    await this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.gaugeTimer = setInterval(() => void this.updateGauges(), 5000);
    this.gaugeTimer.unref();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.gaugeTimer);
    clearTimeout(this.coalescing);
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }

  /** Publishes one batch if this replica holds the relay lock. Returns how many rows it published. */
  async relayOnce(): Promise<number> {
    const limit = this.options.config.OUTBOX_BATCH_SIZE;
    return this.dataSource.transaction(async (tx) => {
      const [{ locked }] = await tx.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [outboxChannel(this.options)]);
      if (!locked) return 0;
      // The envelope goes out as the text Postgres holds: no parse and re-serialise per event.
      const rows: PendingOutboxRow[] = await tx.query(
        `SELECT seq, event_id, nats_subject, envelope::text AS body,
                envelope->>'traceparent' AS traceparent, envelope->>'correlationid' AS correlationid
         FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1`,
        [limit],
      );
      if (rows.length === 0) return 0;
      // Pipelined: the server handles one connection's publishes in the order sent.
      await Promise.all(
        rows.map((row) => {
          const h = natsHeaders();
          h.set('traceparent', row.traceparent);
          h.set('correlationid', row.correlationid);
          h.set('Content-Type', 'application/cloudevents+json');
          return this.nats.jetstream.publish(row.nats_subject, this.encoder.encode(row.body), {
            msgID: row.event_id,
            headers: h,
          });
        }),
      );
      await tx.query('UPDATE outbox SET sent_at = now() WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
      this.metrics.outboxPublished.inc(rows.length);
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        published = await this.relayOnce();
        failures = 0;
      } catch (e) {
        failures++;
        this.log.warn(`outbox relay could not publish (attempt ${failures}): ${(e as Error).message}`);
      }
      if (!this.running) break;
      if (published < this.options.config.OUTBOX_BATCH_SIZE) {
        const pause = failures ? Math.min(5000, 100 * 2 ** failures) : this.options.config.OUTBOX_POLL_MS;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** LISTEN on the service's channel: a committed outbox write wakes the relay at once. */
  private async listen(): Promise<void> {
    const opts = this.dataSource.options as { url?: string };
    const client = new Client({ connectionString: opts.url, application_name: `${this.options.service}-outbox-listen` });
    // A short pause after the first wake-up lets a burst of commits go out as one batch.
    client.on('notification', () => {
      if (!this.wake || this.coalescing) return;
      this.coalescing = setTimeout(() => {
        this.coalescing = undefined;
        this.wake?.();
      }, this.options.config.OUTBOX_COALESCE_MS);
    });
    client.on('error', (e) => this.log.warn(`outbox listener lost its connection: ${e.message}`));
    await client.connect();
    await client.query(`LISTEN ${outboxChannel(this.options)}`);
    this.listener = client;
  }

  private async updateGauges(): Promise<void> {
    try {
      const [row] = await this.dataSource.query(
        `SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS lag
         FROM outbox WHERE sent_at IS NULL`,
      );
      this.metrics.outboxPending.set(row.pending);
      this.metrics.outboxLagSeconds.set(row.lag);
    } catch {
      // The gauges are best effort; readiness reports a lost database.
    }
  }
}
