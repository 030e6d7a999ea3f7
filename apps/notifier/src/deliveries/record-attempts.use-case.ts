// What attempts' outcomes do: each attempt is logged; its delivery succeeds, waits for its next try, or fails for
// good; an endpoint that is gone (410) or has failed for five days is disabled and its owner told through the
// outbox. Outcomes are written together (group commit): the ones that finish while a write is in flight go into
// the next transaction as a few multi-row statements, so a busy notifier pays one round of statements and one WAL
// sync per batch instead of per delivery, and one endpoint's results no longer queue behind its row lock.
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { Audience, EndpointDisabled, EndpointDisabledReason } from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { SubscriptionRow } from '../subscriptions/subscription-store';
import { delayAfterFailure, FAILING_ENDPOINT_DISABLE_AFTER_MS, parseRetryAfter } from './retry-schedule';
import { AttemptOutcome, ClaimedDelivery } from './webhook-sender';

export type AttemptResult = 'succeeded' | 'retrying' | 'failed' | 'disabled' | 'gone-already';

export interface FinishedAttempt {
  delivery: ClaimedDelivery;
  outcome: AttemptOutcome;
}

/** Outcomes per transaction at most: a backlog is written in a few bounded transactions, not one huge one. */
const MAX_BATCH = 1000;

interface Waiting extends FinishedAttempt {
  resolve: (result: AttemptResult) => void;
  reject: (e: Error) => void;
}

interface SubscriptionState {
  row: SubscriptionRow;
  failingSince: Date | null;
  disabled?: EndpointDisabledReason;
}

@Injectable()
export class RecordAttemptsUseCase {
  private readonly log = new Logger(RecordAttemptsUseCase.name);
  private queue: Waiting[] = [];
  private writing = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly outbox: EventOutbox,
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
      const results = await this.execute(batch);
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (e) {
      if (batch.length === 1) return batch[0].reject(e as Error);
      // One outcome that cannot be written must not hold back the others: each is tried alone.
      this.log.warn(`recording ${batch.length} webhook attempts together failed (${(e as Error).message}); recording them one by one`);
      for (const w of batch) await this.writeOrSplit([w]);
    }
  }

  /**
   * Writes the outcomes in one transaction, in their order. Returns what each one did. The subscriptions are locked
   * (their failing streak and state decide); the deliveries are not read again: each is updated only if it is still
   * pending with the attempt count it was claimed with, and its attempt is logged only then.
   */
  execute(attempts: FinishedAttempt[]): Promise<AttemptResult[]> {
    return this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      // Subscriptions in id order, as every writer locks them, so none deadlocks. NO KEY UPDATE: fan-out's
      // foreign-key checks (KEY SHARE) are not blocked by it.
      const subscriptionIds = [...new Set(attempts.map((a) => a.delivery.subscriptionId))].sort();
      const subs: SubscriptionRow[] = await tx.query(
        'SELECT * FROM notify.subscriptions WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE',
        [subscriptionIds],
      );
      const lanes = new Map<string, SubscriptionState>(
        subs.map((row) => [row.id, { row, failingSince: row.failing_since ? new Date(row.failing_since) : null }]),
      );
      const writes: { delivery: ClaimedDelivery; outcome: AttemptOutcome; status: string; nextAttemptAt: Date | null }[] = [];

      const results = attempts.map(({ delivery, outcome }): AttemptResult => {
        const lane = lanes.get(delivery.subscriptionId);
        // Deleted, or disabled meanwhile (which failed its pending deliveries): the attempt changes nothing.
        if (!lane || lane.disabled || lane.row.state !== 'active') return 'gone-already';
        const attempt = delivery.attemptCount + 1;
        const write = (status: string, nextAttemptAt: Date | null = null) => writes.push({ delivery, outcome, status, nextAttemptAt });
        const code = outcome.statusCode;
        if (code !== undefined && code >= 200 && code < 300) {
          lane.failingSince = null;
          write('succeeded');
          return 'succeeded';
        }
        if (code === 410) {
          write('failed');
          lane.disabled = 'gone';
          return 'disabled';
        }
        const failingSince = lane.failingSince ?? now;
        if (now.getTime() - failingSince.getTime() >= FAILING_ENDPOINT_DISABLE_AFTER_MS) {
          write('failed');
          lane.disabled = 'failing';
          return 'disabled';
        }
        lane.failingSince = failingSince;
        const delay = delayAfterFailure(attempt, parseRetryAfter(outcome.retryAfter, now));
        if (delay === undefined) {
          write('failed');
          return 'failed';
        }
        write('pending', new Date(now.getTime() + delay));
        return 'retrying';
      });

      if (writes.length) {
        const written: { id: string }[] = await tx.query(
          `WITH w AS (
             SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::int[], $8::text[])
               AS w(id, attempt, status, next_attempt_at, at, status_code, latency_ms, error)
           ), settled AS (
             UPDATE notify.deliveries d
             SET status = w.status, attempt_count = w.attempt, next_attempt_at = w.next_attempt_at,
               completed_at = CASE WHEN w.status = 'pending' THEN NULL ELSE $9::timestamptz END
             FROM w WHERE d.id = w.id AND d.status = 'pending' AND d.attempt_count = w.attempt - 1
             RETURNING d.id
           ), logged AS (
             INSERT INTO notify.delivery_attempts (delivery_id, attempt, at, status_code, latency_ms, error)
             SELECT w.id, w.attempt, w.at, w.status_code, w.latency_ms, w.error FROM w JOIN settled USING (id)
           )
           SELECT id FROM settled`,
          [
            writes.map((w) => w.delivery.id),
            writes.map((w) => w.delivery.attemptCount + 1),
            writes.map((w) => w.status),
            writes.map((w) => w.nextAttemptAt),
            writes.map((w) => w.outcome.at),
            writes.map((w) => w.outcome.statusCode ?? null),
            writes.map((w) => w.outcome.latencyMs),
            writes.map((w) => w.outcome.error ?? null),
            now,
          ],
        );
        // Settled meanwhile elsewhere (a replica that took the lane over): that attempt changed nothing here.
        if (written.length < writes.length) {
          const done = new Set(written.map((r) => r.id));
          attempts.forEach(({ delivery }, i) => {
            if (results[i] !== 'gone-already' && !done.has(delivery.id)) results[i] = 'gone-already';
          });
        }
      }
      const failing = [...lanes.values()].filter(
        (l) => !l.disabled && (l.failingSince?.getTime() ?? null) !== (l.row.failing_since ? new Date(l.row.failing_since).getTime() : null),
      );
      if (failing.length) {
        await tx.query(
          `UPDATE notify.subscriptions s SET failing_since = u.failing_since
           FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, failing_since) WHERE s.id = u.id`,
          [failing.map((l) => l.row.id), failing.map((l) => l.failingSince)],
        );
      }
      for (const lane of lanes.values()) if (lane.disabled) await this.writeDisabled(tx, lane.row, lane.disabled, now);
      return results;
    });
  }

  private async writeDisabled(tx: EntityManager, sub: SubscriptionRow, reason: EndpointDisabledReason, now: Date): Promise<void> {
    await tx.query(
      `UPDATE notify.subscriptions SET state = 'disabled', disabled_reason = $2, disabled_at = $3, failing_since = NULL WHERE id = $1`,
      [sub.id, reason, now],
    );
    // Nothing more goes to a disabled endpoint: what was waiting for it fails now, visibly, in its log.
    await tx.query(
      `UPDATE notify.deliveries SET status = 'failed', completed_at = $2, next_attempt_at = NULL
       WHERE subscription_id = $1 AND status = 'pending'`,
      [sub.id, now],
    );
    await this.outbox.record(tx, EndpointDisabled, {
      subject: sub.id,
      audience: Audience.of({ orgs: [sub.org_id] }),
      data: { subscriptionId: sub.id, orgId: sub.org_id, url: sub.url, reason, disabledAt: now.toISOString() },
    });
  }
}
