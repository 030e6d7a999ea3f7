// Where attempts' outcomes are written: the endpoints they lock, the deliveries they settle with their attempt log,
// failing streaks, and disabled endpoints (with the event that tells their owner).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Audience, EndpointDisabled, EndpointDisabledReason } from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { SubscriptionRow } from '../subscriptions/subscription-store';
import { AttemptWrite } from './attempt-outcomes';

@Injectable()
export class AttemptStore {
  constructor(private readonly outbox: EventOutbox) {}

  /**
   * The subscriptions, locked in id order, as every writer locks them, so none deadlocks. NO KEY UPDATE: fan-out's
   * foreign-key checks (KEY SHARE) are not blocked by it.
   */
  async lockEndpoints(tx: EntityManager, ids: string[]): Promise<SubscriptionRow[]> {
    return tx.query('SELECT * FROM notify.subscriptions WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE', [[...ids].sort()]);
  }

  /**
   * Settles the deliveries and logs their attempts, in one statement: each only if it is still pending with the
   * attempt count it was sent with (not read again). Returns the ids settled.
   */
  async settle(tx: EntityManager, writes: AttemptWrite[], now: Date): Promise<Set<string>> {
    if (!writes.length) return new Set();
    const outcome = (w: AttemptWrite) => w.attempt.outcome;
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
        writes.map((w) => w.attempt.delivery.id),
        writes.map((w) => w.attempt.delivery.attemptCount + 1),
        writes.map((w) => w.status),
        writes.map((w) => w.nextAttemptAt),
        writes.map((w) => outcome(w).at),
        writes.map((w) => outcome(w).statusCode ?? null),
        writes.map((w) => outcome(w).latencyMs),
        writes.map((w) => outcome(w).error ?? null),
        now,
      ],
    );
    return new Set(written.map((r) => r.id));
  }

  async setFailingSince(tx: EntityManager, changes: { id: string; failingSince: Date | null }[]): Promise<void> {
    if (!changes.length) return;
    await tx.query(
      `UPDATE notify.subscriptions s SET failing_since = u.failing_since
       FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, failing_since) WHERE s.id = u.id`,
      [changes.map((c) => c.id), changes.map((c) => c.failingSince)],
    );
  }

  /** Disables the endpoint, fails what waited for it (visibly, in its log), and tells its owner. */
  async disable(tx: EntityManager, sub: SubscriptionRow, reason: EndpointDisabledReason, now: Date): Promise<void> {
    await tx.query(
      `UPDATE notify.subscriptions SET state = 'disabled', disabled_reason = $2, disabled_at = $3, failing_since = NULL WHERE id = $1`,
      [sub.id, reason, now],
    );
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

