// The lab's moves, applied at once: reschedule recomputes, withdraw and release end the window.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { end, reschedule } from './access-window';
import { WindowStore } from './window-store';

@Injectable()
export class ChangeWindowUseCase {
  constructor(
    private readonly store: WindowStore,
    private readonly clock: Clock,
  ) {}

  async reschedule(tx: EntityManager, submissionId: string, plannedReleaseAt: Date): Promise<void> {
    const { row, window } = await this.store.require(tx, submissionId);
    const now = this.clock.now();
    await this.store.save(tx, row, reschedule(window, plannedReleaseAt, now, this.store.policy), now);
  }

  async end(tx: EntityManager, submissionId: string, reason: 'withdrawn' | 'released'): Promise<void> {
    const { row, window } = await this.store.require(tx, submissionId);
    const now = this.clock.now();
    await this.store.save(tx, row, end(window, now, reason, this.store.policy), now);
  }
}
