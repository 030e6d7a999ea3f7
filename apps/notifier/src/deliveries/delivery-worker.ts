// Sends due deliveries. Each subscription is a lane, served by one replica at a time: the replica leases the lane
// (subscriptions.lane_owner until lane_until, renewed while it has work there) and keeps at most
// WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT requests in flight to it. A replica that dies lets its lanes lapse and another
// takes them over. Owning the lane makes a claim a plain read (no row update per delivery): the lane reads a few
// widths ahead (LANE_PREFETCH), so its next request starts the moment one ends, and results are recorded in batches
// (RecordAttemptsUseCase). Claiming never waits on a request: a full or hanging lane holds only itself.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v4 as uuidv4 } from 'uuid';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import { SERVICE_CONFIG } from '@vantage/runtime';
import type { NotifierConfig } from '../config';
import { EventWakeUps } from '../events/event-wake-ups';
import { ClaimRow, LaneStore } from './lane-store';
import { RecordAttemptsUseCase } from './record-attempts.use-case';
import { ClaimedDelivery, WebhookSender } from './webhook-sender';

/** A lane holds up to this many times its in-flight width: the requests it sends next, without waiting for a read. */
export const LANE_PREFETCH = 8;

/** One endpoint's work on this replica. */
interface Lane {
  /** Until when this replica serves the lane (0: it does not). */
  ownedUntil: number;
  queued: ClaimedDelivery[];
  sending: Set<string>;
  /** Read and not yet recorded (queued, in flight, or being written): not to be read again. */
  held: Set<string>;
}

@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(DeliveryWorker.name);
  /** This process's name on the lanes it leases. */
  private readonly replica = uuidv4();
  private readonly lanes = new Map<string, Lane>();
  private readonly recording = new Set<Promise<unknown>>();
  private timer?: NodeJS.Timeout;
  private stopListening: (() => void)[] = [];
  private running = false;
  private claiming?: Promise<void>;
  private claimAgain = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sender: WebhookSender,
    private readonly recordAttempts: RecordAttemptsUseCase,
    private readonly wakeUps: EventWakeUps,
    private readonly laneStore: LaneStore,
  ) {}

  /** A lane's lease leaves room for a whole request after each renewal, which comes when half of it is left. */
  private get leaseMs(): number {
    return Math.max(this.config.WEBHOOK_CLAIM_LEASE_MS, 2 * this.config.WEBHOOK_TIMEOUT_MS);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.timer = setInterval(() => this.wake(), this.config.WEBHOOK_POLL_MS);
    // A test clock's move makes retries due at once; the system clock never calls back. Fan-out's commit (on any
    // replica) means new deliveries: the poll is only the fallback.
    this.stopListening = [this.clock.onChange(() => this.wake()), this.wakeUps.onWake(() => this.wake())];
    this.wake();
  }

  /**
   * Stops reading and abandons requests in flight (they are tried again: an abandoned request is not an attempt
   * the endpoint failed), records what had finished, and hands its lanes back so another replica takes them at once.
   */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    for (const stop of this.stopListening) stop();
    await this.claiming;
    for (const lane of this.lanes.values()) lane.queued = [];
    this.sender.abandonAll();
    while (this.recording.size) await Promise.allSettled([...this.recording]);
    await this.laneStore
      .handBack(this.dataSource.manager, this.replica)
      .catch((e) => this.log.warn(`handing back lanes failed, they lapse instead: ${(e as Error).message}`));
  }

  /** Reads due work now, or right after the read in progress if there is one. */
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
    const rows = await this.claim();
    const owned = new Set<string>();
    for (const r of rows) {
      const lane = this.lane(r.subscription_id);
      lane.ownedUntil = new Date(r.lane_until).getTime();
      owned.add(r.subscription_id);
      // A lane's row comes once with no delivery when it has nothing new to send.
      if (!r.id || lane.held.has(r.id)) continue;
      lane.held.add(r.id);
      lane.queued.push({
        id: r.id,
        subscriptionId: r.subscription_id,
        eventId: r.event_id!,
        attemptCount: r.attempt_count!,
        body: r.body!,
        url: r.url,
        secretSealed: r.secret_sealed,
        previousSecretSealed: r.previous_secret_sealed,
        previousSecretExpiresAt: r.previous_secret_expires_at ? new Date(r.previous_secret_expires_at) : null,
      });
    }
    for (const [id, lane] of this.lanes) {
      // Lost (taken over after a lapse, disabled or deleted): what waits here is the new owner's, or no one's.
      if (!owned.has(id)) lane.ownedUntil = 0;
      this.pump(id);
      if (!lane.held.size && !lane.ownedUntil) this.lanes.delete(id);
    }
  }

  private lane(subscriptionId: string): Lane {
    let lane = this.lanes.get(subscriptionId);
    if (!lane) {
      lane = { ownedUntil: 0, queued: [], sending: new Set(), held: new Set() };
      this.lanes.set(subscriptionId, lane);
    }
    return lane;
  }

  private claim(): Promise<ClaimRow[]> {
    const now = this.clock.nowMs();
    const held = [...this.lanes].flatMap(([subscriptionId, lane]) => [...lane.held].map((id) => ({ subscriptionId, id })));
    return this.laneStore.claim(this.dataSource.manager, {
      replica: this.replica,
      now: new Date(now),
      held,
      leaseUntil: new Date(now + this.leaseMs),
      renewBefore: new Date(now + this.leaseMs / 2),
      room: this.config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT * LANE_PREFETCH,
    });
  }

  /** Starts the lane's queued requests while it has room and time left on its lease for a whole request. */
  private pump(subscriptionId: string): void {
    const lane = this.lanes.get(subscriptionId);
    if (!lane || !this.running) return;
    if (!lane.ownedUntil) {
      for (const d of lane.queued) lane.held.delete(d.id);
      lane.queued = [];
      return;
    }
    // Short of time, the queue waits for the renewal that the next read makes.
    if (lane.ownedUntil - this.clock.nowMs() <= this.config.WEBHOOK_TIMEOUT_MS) return;
    while (lane.sending.size < this.config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT && lane.queued.length) this.send(lane, lane.queued.shift()!);
  }

  private send(lane: Lane, delivery: ClaimedDelivery): void {
    lane.sending.add(delivery.id);
    const done = (async () => {
      const outcome = await this.sender.send(delivery);
      lane.sending.delete(delivery.id);
      // Cut off at shutdown: not an attempt that the endpoint failed; the lane's next owner sends it again.
      if (outcome.abandoned) return;
      // The lane's next request starts now; this one's result is written with others that finish meanwhile.
      this.pump(delivery.subscriptionId);
      await this.recordAttempts.record(delivery, outcome);
    })()
      .catch((e) => this.log.error({ deliveryId: delivery.id }, `recording a webhook attempt failed: ${(e as Error).message}`))
      .finally(() => {
        lane.sending.delete(delivery.id);
        lane.held.delete(delivery.id);
        this.recording.delete(done);
        // The lane has room to read again.
        this.wake();
      });
    this.recording.add(done);
  }
}
