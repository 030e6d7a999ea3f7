// Sends due deliveries. Each subscription is a lane: at most WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT requests in
// flight to it, across replicas (claims are leases in Postgres, taken with SKIP LOCKED, so a replica that dies
// releases its claims when they lapse). Claiming never waits on a request: a full or hanging lane is skipped
// and every other endpoint keeps being served.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import { SERVICE_CONFIG } from '@vantage/runtime';
import type { NotifierConfig } from '../config';
import { RecordAttemptUseCase } from './record-attempt.use-case';
import { ClaimedDelivery, WebhookSender } from './webhook-sender';

interface InFlight {
  subscriptionId: string;
  abort: AbortController;
  done: Promise<void>;
}

interface ClaimRow {
  id: string;
  subscription_id: string;
  event_id: string;
  body: string;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
}

@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(DeliveryWorker.name);
  private readonly inFlight = new Map<string, InFlight>();
  private timer?: NodeJS.Timeout;
  private stopListening?: () => void;
  private running = false;
  private claiming?: Promise<void>;
  private claimAgain = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sender: WebhookSender,
    private readonly recordAttempt: RecordAttemptUseCase,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.timer = setInterval(() => this.wake(), this.config.WEBHOOK_POLL_MS);
    // A test clock's move makes retries due at once; the system clock never calls back.
    this.stopListening = this.clock.onChange(() => this.wake());
    this.wake();
  }

  /** Stops claiming and abandons requests in flight: their claims lapse and another replica tries them again. */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    this.stopListening?.();
    await this.claiming;
    for (const f of this.inFlight.values()) f.abort.abort();
    await Promise.allSettled([...this.inFlight.values()].map((f) => f.done));
  }

  /** Claims due work now, or right after the claim in progress if there is one. */
  wake(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimAndSend()
      .catch((e) => this.log.error(`claiming deliveries failed: ${(e as Error).message}`))
      .finally(() => {
        this.claiming = undefined;
        if (this.claimAgain) {
          this.claimAgain = false;
          this.wake();
        }
      });
  }

  private async claimAndSend(): Promise<void> {
    for (const delivery of await this.claim()) this.start(delivery);
  }

  private async claim(): Promise<ClaimedDelivery[]> {
    const cap = this.config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT;
    const mine = new Map<string, number>();
    for (const f of this.inFlight.values()) mine.set(f.subscriptionId, (mine.get(f.subscriptionId) ?? 0) + 1);
    const fullHere = [...mine].filter(([, n]) => n >= cap).map(([id]) => id);
    return this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      // Up to a lane's worth of due deliveries per active endpoint; rows another replica is claiming are skipped.
      const rows: ClaimRow[] = await tx.query(
        `SELECT d.id, d.subscription_id, d.event_id, d.body, s.url, s.secret_sealed, s.previous_secret_sealed, s.previous_secret_expires_at
         FROM notify.subscriptions s
         CROSS JOIN LATERAL (
           SELECT id, subscription_id, event_id, body FROM notify.deliveries d
           WHERE subscription_id = s.id AND status = 'pending' AND next_attempt_at <= $1
             AND (claimed_until IS NULL OR claimed_until <= $1) AND NOT (id = ANY($2::uuid[]))
             -- Per-entity order: not while an earlier delivery about the same entity is pending for this endpoint.
             AND (d.replay OR NOT EXISTS (
               SELECT 1 FROM notify.deliveries e
               WHERE e.subscription_id = d.subscription_id AND e.entity = d.entity AND e.status = 'pending' AND NOT e.replay AND e.seq < d.seq))
           ORDER BY next_attempt_at, seq
           LIMIT $3
           FOR UPDATE SKIP LOCKED
         ) d
         WHERE s.state = 'active' AND NOT (s.id = ANY($4::uuid[]))`,
        [now, [...this.inFlight.keys()], cap, fullHere],
      );
      if (!rows.length) return [];
      // Claims held anywhere (other replicas included) count against a lane, as do this replica's own requests,
      // whose leases a moved test clock may have lapsed.
      const leased: { subscription_id: string; n: number }[] = await tx.query(
        `SELECT subscription_id, count(*)::int AS n FROM notify.deliveries
         WHERE subscription_id = ANY($1::uuid[]) AND status = 'pending' AND claimed_until > $2 GROUP BY subscription_id`,
        [[...new Set(rows.map((r) => r.subscription_id))], now],
      );
      const busy = new Map(leased.map((l) => [l.subscription_id, l.n]));
      const taken = new Map<string, number>();
      const chosen = rows.filter((r) => {
        const used = Math.max(busy.get(r.subscription_id) ?? 0, mine.get(r.subscription_id) ?? 0) + (taken.get(r.subscription_id) ?? 0);
        if (used >= cap) return false;
        taken.set(r.subscription_id, (taken.get(r.subscription_id) ?? 0) + 1);
        return true;
      });
      if (!chosen.length) return [];
      await tx.query('UPDATE notify.deliveries SET claimed_until = $2 WHERE id = ANY($1::uuid[])', [
        chosen.map((r) => r.id),
        new Date(now.getTime() + this.config.WEBHOOK_CLAIM_LEASE_MS),
      ]);
      return chosen.map((r) => ({
        id: r.id,
        subscriptionId: r.subscription_id,
        eventId: r.event_id,
        body: r.body,
        url: r.url,
        secretSealed: r.secret_sealed,
        previousSecretSealed: r.previous_secret_sealed,
        previousSecretExpiresAt: r.previous_secret_expires_at ? new Date(r.previous_secret_expires_at) : null,
      }));
    });
  }

  private start(delivery: ClaimedDelivery): void {
    const abort = new AbortController();
    const done = (async () => {
      const outcome = await this.sender.send(delivery, abort.signal);
      // Abandoned at shutdown: not an attempt that the endpoint failed; the lapsed claim brings it back.
      if (abort.signal.aborted) return;
      await this.recordAttempt.execute(delivery, outcome);
    })()
      .catch((e) => this.log.error({ deliveryId: delivery.id }, `recording a webhook attempt failed: ${(e as Error).message}`))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        // A lane has room again.
        this.wake();
      });
    this.inFlight.set(delivery.id, { subscriptionId: delivery.subscriptionId, abort, done });
  }
}
