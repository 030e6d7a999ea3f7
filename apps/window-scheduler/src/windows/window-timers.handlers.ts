// The durable timers of a window: open (grants issued), closing soon, close (grants revoked).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { DueTimer, OnTimer } from '@vantage/scheduling';
import { closingSoon, end, open } from './access-window';
import { AgencyRow } from './window.entity';
import { TIMER_KINDS, WindowStore } from './window-store';

@Injectable()
export class WindowTimersHandlers {
  constructor(
    private readonly store: WindowStore,
    private readonly clock: Clock,
  ) {}

  @OnTimer(TIMER_KINDS.open)
  async open(timer: DueTimer, tx: EntityManager): Promise<void> {
    const loaded = await this.store.load(tx, timer.entityId);
    if (!loaded) return;
    const agencies = loaded.row.agencies ?? (await tx.getRepository(AgencyRow).find({ order: { joinedAt: 'ASC' } })).map((a) => a.orgId);
    await this.store.save(tx, loaded.row, open(loaded.window, timer.dueAt, agencies), this.clock.now());
  }

  @OnTimer(TIMER_KINDS['closing-soon'])
  async closingSoon(timer: DueTimer, tx: EntityManager): Promise<void> {
    const loaded = await this.store.load(tx, timer.entityId);
    if (loaded) await this.store.save(tx, loaded.row, closingSoon(loaded.window), this.clock.now());
  }

  @OnTimer(TIMER_KINDS.close)
  async close(timer: DueTimer, tx: EntityManager): Promise<void> {
    const loaded = await this.store.load(tx, timer.entityId);
    if (loaded) await this.store.save(tx, loaded.row, end(loaded.window, timer.dueAt, 'scheduled-end', this.store.policy), this.clock.now());
  }
}
