// Wakes the live stream's waiting reads when fan-out commits new events, on every notifier replica: fan-out
// NOTIFYs in its transaction and Postgres delivers it only on commit, to every listener.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

export const EVENTS_CHANNEL = 'vantage_notify_events';

/** Without a listener (lost connection) a waiting read still looks again this often. */
const FALLBACK_POLL_MS = 1000;

@Injectable()
export class EventWakeUps implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(EventWakeUps.name);
  private listener?: Client;
  private listening = false;
  private closing = false;
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<() => void>();
  /** Bumped on every wake-up: a reader compares it before and after a read, so a wake-up in between is not lost. */
  generation = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    const opts = this.dataSource.options as { url?: string };
    const client = new Client({ connectionString: opts.url, application_name: 'notifier-events-listen' });
    client.on('notification', () => this.wake());
    client.on('error', (e) => {
      this.listening = false;
      this.log.warn(`event wake-up listener lost its connection, reads fall back to polling: ${e.message}`);
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.listener = client;
    this.listening = true;
  }

  async onModuleDestroy(): Promise<void> {
    // Waiting reads answer at once, so that shutdown does not wait out their long polls.
    this.closing = true;
    this.wake();
    this.listening = false;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Resolves at the next wake-up, or after `ms` (shorter without a listener). */
  wait(ms: number): Promise<void> {
    if (this.closing || ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.listening ? ms : Math.min(ms, FALLBACK_POLL_MS));
      this.waiters.add(done);
    });
  }

  /** Hears every wake-up (fan-out committed somewhere) until the returned function is called. */
  onWake(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private wake(): void {
    this.generation++;
    for (const done of [...this.waiters]) done();
    if (!this.closing) for (const listener of this.listeners) listener();
  }
}
