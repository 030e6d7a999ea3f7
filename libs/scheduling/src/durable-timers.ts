// Durable timers in Postgres: they survive restarts, fire once across replicas (FOR UPDATE SKIP LOCKED),
// and fire in order per entity — a timer waits while an earlier one of the same entity is pending, so a
// service that was down catches up in order. A handler's effects and the "fired" mark commit together.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, SetMetadata } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { discoverHandlers } from '@vantage/messaging';

export interface DueTimer<P = Record<string, unknown>> {
  id: string;
  entityId: string;
  kind: string;
  dueAt: Date;
  payload: P;
}

export type TimerHandler = (timer: DueTimer<any>, tx: EntityManager) => Promise<void>;

export const TIMER_HANDLER = Symbol('vantage:timer-handler');

/** Marks `(timer, tx) => Promise<void>` as the handler of a kind of timer. */
export const OnTimer = (kind: string): MethodDecorator => SetMetadata(TIMER_HANDLER, kind);

export interface SchedulingOptions {
  /** How often to look for due timers when the clock does not say it moved. */
  pollMs: number;
}

export const SCHEDULING_OPTIONS = Symbol('SCHEDULING_OPTIONS');

@Injectable()
export class DurableTimers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(DurableTimers.name);
  private readonly handlers = new Map<string, TimerHandler>();
  private running = false;
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private stopListening?: () => void;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(SCHEDULING_OPTIONS) private readonly options: SchedulingOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Schedules a timer in the caller's transaction: it exists only if that transaction commits. */
  async schedule(tx: EntityManager, timer: { entityId: string; kind: string; dueAt: Date; payload?: Record<string, unknown> }): Promise<void> {
    await tx.query('INSERT INTO timers (entity_id, kind, due_at, payload) VALUES ($1, $2, $3, $4::jsonb)', [
      timer.entityId, timer.kind, timer.dueAt, JSON.stringify(timer.payload ?? {}),
    ]);
  }

  /** Cancels an entity's pending timers (of some kinds, or all). */
  async cancel(tx: EntityManager, entityId: string, kinds?: string[]): Promise<number> {
    const rows = await tx.query(
      `UPDATE timers SET cancelled_at = $2 WHERE entity_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL
       AND ($3::text[] IS NULL OR kind = ANY($3::text[])) RETURNING id`,
      [entityId, this.clock.now(), kinds ?? null],
    );
    return rows.length;
  }

  async pending(entityId: string): Promise<DueTimer[]> {
    const rows = await this.dataSource.query(
      `SELECT id, entity_id, kind, due_at, payload FROM timers WHERE entity_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL ORDER BY due_at, id`,
      [entityId],
    );
    return rows.map(toTimer);
  }

  onApplicationBootstrap(): void {
    for (const { meta: kind, call } of discoverHandlers<string>(this.discovery, this.scanner, this.reflector, TIMER_HANDLER)) {
      if (this.handlers.has(kind)) throw new Error(`timer kind ${kind} has two handlers`);
      this.handlers.set(kind, call as TimerHandler);
    }
    if (this.handlers.size === 0) return;
    this.running = true;
    this.stopListening = this.clock.onChange(() => this.wake?.());
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.stopListening?.();
    this.wake?.();
    await this.loop;
  }

  /** Fires every timer due now, one transaction each, earliest first. Returns how many fired. */
  async fireDue(): Promise<number> {
    let fired = 0;
    while (!this.stopping && (await this.fireOne())) fired++;
    return fired;
  }

  private async fireOne(): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query(
        `SELECT t.id, t.entity_id, t.kind, t.due_at, t.payload FROM timers t
         WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL AND t.due_at <= $1 AND t.kind = ANY($2::text[])
           AND NOT EXISTS (
             SELECT 1 FROM timers e WHERE e.entity_id = t.entity_id AND e.fired_at IS NULL AND e.cancelled_at IS NULL
               AND (e.due_at, e.id) < (t.due_at, t.id))
         ORDER BY t.due_at, t.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [this.clock.now(), [...this.handlers.keys()]],
      );
      if (!row) return false;
      const timer = toTimer(row);
      await this.handlers.get(timer.kind)!(timer, tx);
      await tx.query('UPDATE timers SET fired_at = $2 WHERE id = $1', [timer.id, this.clock.now()]);
      return true;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.fireDue();
      } catch (e) {
        this.log.error(`a timer failed and will be retried: ${(e as Error).message}`);
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

function toTimer(row: { id: string; entity_id: string; kind: string; due_at: Date; payload: Record<string, unknown> }): DueTimer {
  return { id: String(row.id), entityId: row.entity_id, kind: row.kind, dueAt: new Date(row.due_at), payload: row.payload };
}
