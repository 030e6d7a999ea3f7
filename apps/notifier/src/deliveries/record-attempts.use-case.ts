// What an attempt's outcome does, in one transaction: the attempt is logged; the delivery succeeds, waits for
// its next try, or fails for good; an endpoint that is gone (410) or has failed for five days is disabled and
// its owner told through the outbox.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { Audience, EndpointDisabled, EndpointDisabledReason } from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { SubscriptionRow } from '../subscriptions/subscription-store';
import { delayAfterFailure, FAILING_ENDPOINT_DISABLE_AFTER_MS, parseRetryAfter } from './retry-schedule';
import { AttemptOutcome, ClaimedDelivery } from './webhook-sender';

export type AttemptResult = 'succeeded' | 'retrying' | 'failed' | 'disabled' | 'gone-already';

@Injectable()
export class RecordAttemptUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly outbox: EventOutbox,
  ) {}

  execute(delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<AttemptResult> {
    return this.dataSource.transaction(async (tx) => {
      // The subscription first, then the delivery: every writer locks in that order, so none deadlocks.
      const [sub]: SubscriptionRow[] = await tx.query('SELECT * FROM notify.subscriptions WHERE id = $1 FOR UPDATE', [delivery.subscriptionId]);
      const [row]: { status: string; attempt_count: number }[] = await tx.query(
        'SELECT status, attempt_count FROM notify.deliveries WHERE id = $1 FOR UPDATE',
        [delivery.id],
      );
      // Deleted, or settled meanwhile (its endpoint disabled): the attempt changes nothing.
      if (!sub || !row || row.status !== 'pending') return 'gone-already';
      const attempt = row.attempt_count + 1;
      const now = this.clock.now();
      await tx.query(
        `INSERT INTO notify.delivery_attempts (delivery_id, attempt, at, status_code, latency_ms, error) VALUES ($1, $2, $3, $4, $5, $6)`,
        [delivery.id, attempt, outcome.at, outcome.statusCode ?? null, outcome.latencyMs, outcome.error ?? null],
      );
      const code = outcome.statusCode;
      if (code !== undefined && code >= 200 && code < 300) {
        await settle(tx, delivery.id, attempt, 'succeeded', now);
        if (sub.failing_since) await tx.query('UPDATE notify.subscriptions SET failing_since = NULL WHERE id = $1', [sub.id]);
        return 'succeeded';
      }
      if (code === 410) {
        await settle(tx, delivery.id, attempt, 'failed', now);
        await this.disable(tx, sub, 'gone', now);
        return 'disabled';
      }
      const failingSince = sub.failing_since ? new Date(sub.failing_since) : now;
      if (now.getTime() - failingSince.getTime() >= FAILING_ENDPOINT_DISABLE_AFTER_MS) {
        await settle(tx, delivery.id, attempt, 'failed', now);
        await this.disable(tx, sub, 'failing', now);
        return 'disabled';
      }
      if (!sub.failing_since) await tx.query('UPDATE notify.subscriptions SET failing_since = $2 WHERE id = $1', [sub.id, now]);
      const delay = delayAfterFailure(attempt, parseRetryAfter(outcome.retryAfter, now));
      if (delay === undefined) {
        await settle(tx, delivery.id, attempt, 'failed', now);
        return 'failed';
      }
      await tx.query(
        'UPDATE notify.deliveries SET attempt_count = $2, next_attempt_at = $3, claimed_until = NULL WHERE id = $1',
        [delivery.id, attempt, new Date(now.getTime() + delay)],
      );
      return 'retrying';
    });
  }

  private async disable(tx: EntityManager, sub: SubscriptionRow, reason: EndpointDisabledReason, now: Date): Promise<void> {
    if (sub.state !== 'active') return;
    await tx.query(
      `UPDATE notify.subscriptions SET state = 'disabled', disabled_reason = $2, disabled_at = $3, failing_since = NULL WHERE id = $1`,
      [sub.id, reason, now],
    );
    // Nothing more goes to a disabled endpoint: what was waiting for it fails now, visibly, in its log.
    await tx.query(
      `UPDATE notify.deliveries SET status = 'failed', completed_at = $2, claimed_until = NULL, next_attempt_at = NULL
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

async function settle(tx: EntityManager, id: string, attempt: number, status: 'succeeded' | 'failed', now: Date): Promise<void> {
  await tx.query(
    'UPDATE notify.deliveries SET status = $2, attempt_count = $3, completed_at = $4, claimed_until = NULL, next_attempt_at = NULL WHERE id = $1',
    [id, status, attempt, now],
  );
}
