// The durable timers of a window: open (grants issued), closing soon, close (grants revoked). Each is one use case,
// in the timer's transaction.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DueTimer, OnTimer } from '@vantage/scheduling';
import { AnnounceClosingUseCase } from './announce-closing.use-case';
import { EndWindowUseCase } from './end-window.use-case';
import { OpenWindowUseCase } from './open-window.use-case';
import { TIMER_KINDS } from './window-store';

@Injectable()
export class WindowTimersHandlers {
  constructor(
    private readonly openWindow: OpenWindowUseCase,
    private readonly announceClosing: AnnounceClosingUseCase,
    private readonly endWindow: EndWindowUseCase,
  ) {}

  @OnTimer(TIMER_KINDS.open)
  async open(timer: DueTimer, tx: EntityManager): Promise<void> {
    await this.openWindow.execute({ submissionId: timer.entityId, at: timer.dueAt }, tx);
  }

  @OnTimer(TIMER_KINDS['closing-soon'])
  async closingSoon(timer: DueTimer, tx: EntityManager): Promise<void> {
    await this.announceClosing.execute({ submissionId: timer.entityId }, tx);
  }

  @OnTimer(TIMER_KINDS.close)
  async close(timer: DueTimer, tx: EntityManager): Promise<void> {
    await this.endWindow.execute({ submissionId: timer.entityId, reason: 'scheduled-end', at: timer.dueAt }, tx);
  }
}
