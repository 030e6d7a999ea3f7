// Wakes the live stream's waiting reads when fan-out commits new events, on every notifier replica: fan-out
// NOTIFYs in its transaction and Postgres delivers it only on commit, to every listener. The listener reconnects
// by itself; while it is down, reads poll, and when it is back everyone looks again (a commit may have been missed).
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresListener } from '@vantage/persistence';

export const EVENTS_CHANNEL = 'vantage_notify_events';

/** Without a listener (lost connection) a waiting read still looks again this often. */
const FALLBACK_POLL_MS = 1000;

@Injectable()
export class EventWakeUps implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(EventWakeUps.name);
  private listener?: PostgresListener;
  private listening = false;
  private closing = false;
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<() => void>();
  /** Bumped on every wake-up: a reader compares it before and after a read, so a wake-up in between is not lost. */
  generation = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = PostgresListener.of(this.dataSource, {
      applicationName: 'notifier-events-listen',
      channels: [EVENTS_CHANNEL],
      onNotification: () => this.wake(),
      onConnected: () => {
        this.listening = true;
        this.wake();
      },
      onDisconnected: () => {
        this.listening = false;
      },
      warn: (m) => this.log.warn(`${m}; reads fall back to polling`),
    });
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    // Waiting reads answer at once, so that shutdown does not wait out their long polls.
    this.closing = true;
    this.wake();
    this.listening = false;
    await this.listener?.close();
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
