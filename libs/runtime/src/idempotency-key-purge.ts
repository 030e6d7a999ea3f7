// Deletes a service's expired Idempotency-Keys (with their stored answers): every few minutes, and at once when a
// test's clock moves. Every replica purges; the statements skip rows another holds, so they do not contend.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import { IdempotencyKeys } from '@vantage/persistence';

const PURGE_EVERY_MS = 5 * 60 * 1000;

@Injectable()
export class IdempotencyKeyPurge implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(IdempotencyKeyPurge.name);
  private timer?: NodeJS.Timeout;
  private stopListening?: () => void;
  private running?: Promise<void>;
  private again = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: IdempotencyKeys,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Services that take no Idempotency-Key (no table in their schema) have nothing to purge.
    const [{ present }] = await this.dataSource.query(`SELECT to_regclass('idempotency_keys') IS NOT NULL AS present`);
    if (!present) return;
    this.timer = setInterval(() => this.purge(), PURGE_EVERY_MS);
    this.timer.unref();
    this.stopListening = this.clock.onChange(() => this.purge());
    this.purge();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.stopListening?.();
    await this.running;
  }

  /** One purge at a time; a call during one runs another after it (the clock may have moved on meanwhile). */
  purge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.keys.purgeExpired(this.dataSource, this.clock.now());
        } catch (e) {
          this.log.warn(`could not delete expired Idempotency-Keys: ${(e as Error).message}`);
        }
      } while (this.again);
    })().finally(() => (this.running = undefined));
  }
}
