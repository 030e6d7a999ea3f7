// What attempts' outcomes do: each attempt is logged; its delivery succeeds, waits for its next try, or fails for
// good; an endpoint that is gone (410) or has failed for five days is disabled and its owner told through the
// outbox. Outcomes are written together (group commit): the ones that finish while a write is in flight go into
// the next transaction as a few multi-row statements, so a busy notifier pays one round of statements and one WAL
// sync per batch instead of per delivery, and one endpoint's results no longer queue behind its row lock.
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { UseCase } from '@vantage/runtime';
import { AttemptResult, decideAttempts } from './attempt-outcomes';
import { AttemptStore } from './attempt-store';
import { AttemptOutcome, ClaimedDelivery } from './webhook-sender';

export type { AttemptResult };

export interface FinishedAttempt {
  delivery: ClaimedDelivery;
  outcome: AttemptOutcome;
}

export interface RecordAttemptsCommand {
  attempts: FinishedAttempt[];
}

/** Outcomes per transaction at most: a backlog is written in a few bounded transactions, not one huge one. */
const MAX_BATCH = 1000;

interface Waiting extends FinishedAttempt {
  resolve: (result: AttemptResult) => void;
  reject: (e: Error) => void;
}

@Injectable()
export class RecordAttemptsUseCase implements UseCase<RecordAttemptsCommand, AttemptResult[]> {
  private readonly log = new Logger(RecordAttemptsUseCase.name);
  private queue: Waiting[] = [];
  private writing = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly store: AttemptStore,
  ) {}

  /** Resolves once the outcome is committed, together with whatever else finished meanwhile. */
  record(delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<AttemptResult> {
    return new Promise<AttemptResult>((resolve, reject) => {
      this.queue.push({ delivery, outcome, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) await this.writeOrSplit(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.writing = false;
    }
  }

  private async writeOrSplit(batch: Waiting[]): Promise<void> {
    try {
      const results = await this.dataSource.transaction((tx) => this.execute({ attempts: batch }, tx));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (e) {
      if (batch.length === 1) return batch[0].reject(e as Error);
      // One outcome that cannot be written must not hold back the others: each is tried alone.
      this.log.warn(`recording ${batch.length} webhook attempts together failed (${(e as Error).message}); recording them one by one`);
      for (const w of batch) await this.writeOrSplit([w]);
    }
  }

  /**
   * Writes the outcomes in one transaction, in their order, and returns what each one did. The endpoints are locked
   * (their failing streak and state decide, attempt-outcomes.ts); the deliveries are not read again.
   */
  async execute({ attempts }: RecordAttemptsCommand, tx: EntityManager): Promise<AttemptResult[]> {
    const now = this.clock.now();
    const subs = await this.store.lockEndpoints(tx, [...new Set(attempts.map((a) => a.delivery.subscriptionId))]);
    const endpoints = subs.map((row) => ({ id: row.id, state: row.state, failingSince: row.failing_since ? new Date(row.failing_since) : null }));
    const { results, writes, failingSince, disabled } = decideAttempts(attempts, endpoints, now);
    const settled = await this.store.settle(tx, writes, now);
    // Settled meanwhile elsewhere (a replica that took the lane over): that attempt changed nothing here.
    attempts.forEach(({ delivery }, i) => {
      if (results[i] !== 'gone-already' && !settled.has(delivery.id)) results[i] = 'gone-already';
    });
    await this.store.setFailingSince(tx, failingSince);
    for (const d of disabled) await this.store.disable(tx, subs.find((s) => s.id === d.id)!, d.reason, now);
    return results;
  }
}
