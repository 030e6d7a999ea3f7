// Publishes committed outbox rows to JetStream, in order, and marks them sent. One relay of a service is
// active at a time, which keeps per-entity order across replicas: the active one holds a session advisory
// lock on its own connection (the one that LISTENs for commits), so a cycle costs two statements (read,
// mark) and no transaction; when that replica or its connection dies, Postgres frees the lock and another
// replica's relay takes over at its next wake-up. A crash between publish and mark re-publishes with the
// same Nats-Msg-Id: the server drops the copy.
//
// Waking up: while this replica's relay holds the lock, commits made in this process wake it in-process
// (a TypeORM after-commit subscriber) and skip NOTIFY, which costs Postgres a signal per commit; commits of
// other replicas, or made while this one does not hold the lock, NOTIFY. The poll (OUTBOX_POLL_MS) stays
// as the fallback: a commit that skipped NOTIFY just as this replica lost its lock is seen by the next
// holder within one poll.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { headers as natsHeaders } from 'nats';
import { DataSource } from 'typeorm';
import { Metrics } from '@vantage/observability';
import { onOutboxCommit, PendingOutboxRow, PostgresListener } from '@vantage/persistence';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient } from './nats-client';

/** Published rows deleted per statement, and statements per purge (every gauge update, 5 s). */
const PURGE_BATCH = 5000;
const PURGE_ROUNDS = 10;

/** The NOTIFY channel that wakes a service's relays. */
export function outboxChannel(options: Pick<MessagingOptions, 'service'>): string {
  return `vantage_outbox_${options.service.replace(/-/g, '_')}`;
}

@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private listener?: PostgresListener;
  /** Holds the relay lock on the listener's current connection. */
  private active = false;
  private gaugeTimer?: NodeJS.Timeout;
  private coalescing?: NodeJS.Timeout;
  /** A wake-up came while a cycle was running: look again as soon as it ends. */
  private wokenDuringCycle = false;
  private unregisterCommits?: () => void;
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
    this.unregisterCommits = onOutboxCommit(this.dataSource, () => this.nudge());
    this.gaugeTimer = setInterval(() => void this.updateGauges(), 5000);
    this.gaugeTimer.unref();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.gaugeTimer);
    this.unregisterCommits?.();
    this.unregisterCommits = undefined;
    clearTimeout(this.coalescing);
    this.wake?.();
    await this.loop;
    await this.listener?.close();
    this.listener = undefined;
    this.active = false;
  }

  /** Whether a commit in this process may skip NOTIFY: this relay holds the lock and hears the commit in-process. */
  get wakesOnLocalCommit(): boolean {
    return this.running && this.active;
  }

  /** Publishes one batch if this replica holds the relay lock. Returns how many rows it published. */
  async relayOnce(): Promise<number> {
    const listener = this.listener;
    if (!listener) return 0;
    if (!this.active) {
      const [{ locked }] = await listener.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [outboxChannel(this.options)]);
      if (!locked) return 0;
      this.active = true;
    }
    // The envelope goes out as the text Postgres holds: no parse and re-serialise per event.
    const rows = await listener.query<PendingOutboxRow>(
      `SELECT seq, event_id, nats_subject, envelope::text AS body,
              envelope->>'traceparent' AS traceparent, envelope->>'correlationid' AS correlationid
       FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1`,
      [this.options.config.OUTBOX_BATCH_SIZE],
    );
    if (rows.length === 0) return 0;
    await this.nats.publishToStreams(
      rows.map((row) => {
        const h = natsHeaders();
        // Every envelope createEvent builds has both; a row written some other way must not stall the outbox.
        if (row.traceparent) h.set('traceparent', row.traceparent);
        if (row.correlationid) h.set('correlationid', row.correlationid);
        h.set('Content-Type', 'application/cloudevents+json');
        h.set('Nats-Msg-Id', row.event_id);
        return { subject: row.nats_subject, data: this.encoder.encode(row.body), headers: h };
      }),
    );
    await listener.query('UPDATE outbox SET sent_at = now() WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
    this.metrics.outboxPublished.inc(rows.length);
    return rows.length;
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
        const woken = this.wokenDuringCycle;
        this.wokenDuringCycle = false;
        const c = this.options.config;
        const pause = failures ? Math.min(5000, 100 * 2 ** failures) : woken ? c.OUTBOX_COALESCE_MS : c.OUTBOX_POLL_MS;
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
    this.listener = PostgresListener.of(this.dataSource, {
      applicationName: `${this.options.service}-outbox-relay`,
      channels: [outboxChannel(this.options)],
      onNotification: () => this.nudge(),
      // A new connection holds no lock, and commits made while it was down woke nobody: look now.
      onConnected: () => {
        this.active = false;
        this.wake?.();
      },
      onDisconnected: () => {
        this.active = false;
      },
      warn: (m) => this.log.warn(m),
    });
    await this.listener.start();
  }

  /**
   * A commit wants publishing. A short pause after the first wake-up lets a burst of commits go out as one
   * batch; a wake-up during a cycle is remembered, since that cycle's read may have missed the commit.
   */
  private nudge(): void {
    if (!this.wake) {
      this.wokenDuringCycle = true;
      return;
    }
    if (this.coalescing) return;
    this.coalescing = setTimeout(() => {
      this.coalescing = undefined;
      this.wake?.();
    }, this.options.config.OUTBOX_COALESCE_MS);
  }

  /**
   * Deletes published rows older than OUTBOX_RETENTION_HOURS, oldest first, if this replica's relay is the active
   * one. Each statement looks at the oldest rows only (in the primary key's order, so it costs the same however
   * large the table is) and deletes those published before the cut-off. Returns how many rows it deleted.
   */
  async purgeSent(): Promise<number> {
    if (!this.running || !this.active) return 0;
    const hours = this.options.config.OUTBOX_RETENTION_HOURS;
    let purged = 0;
    for (let round = 0; round < PURGE_ROUNDS; round++) {
      // TypeORM answers a DELETE with [rows, count].
      const [, deleted]: [unknown, number] = await this.dataSource.query(
        // The EXISTS on the oldest row alone is a one-time filter: while nothing is due, the statement is one index probe.
        `DELETE FROM outbox WHERE seq IN (
           SELECT seq FROM (SELECT seq, sent_at FROM outbox ORDER BY seq LIMIT $2) AS oldest
           WHERE sent_at <= now() - make_interval(secs => $1)
             AND EXISTS (SELECT 1 FROM (SELECT sent_at FROM outbox ORDER BY seq LIMIT 1) AS head WHERE head.sent_at <= now() - make_interval(secs => $1)))`,
        [hours * 3600, PURGE_BATCH],
      );
      purged += deleted;
      if (deleted < PURGE_BATCH) break;
    }
    return purged;
  }

  private async updateGauges(): Promise<void> {
    try {
      await this.purgeSent();
    } catch (e) {
      this.log.warn(`could not delete published outbox rows: ${(e as Error).message}`);
    }
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
