// Embargo reminders and the deadline, fired by durable timers (once, across replicas, caught up after a restart).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CaseDeadlineApproaching, CaseDeadlineReached } from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { DueTimer, OnTimer } from '@vantage/scheduling';
import { caseAudience } from './case-access';

@Injectable()
export class CaseDeadlinesHandlers {
  constructor(private readonly outbox: EventOutbox) {}

  @OnTimer('case.deadline-approaching')
  async approaching(timer: DueTimer<{ remaining: string }>, tx: EntityManager): Promise<void> {
    await this.fire(timer, tx, false);
  }

  @OnTimer('case.deadline-reached')
  async reached(timer: DueTimer, tx: EntityManager): Promise<void> {
    await this.fire(timer, tx, true);
  }

  private async fire(timer: DueTimer<any>, tx: EntityManager, reached: boolean): Promise<void> {
    const [c] = await tx.query('SELECT id, title, state, deadline_at FROM cases WHERE id = $1', [timer.entityId]);
    if (!c || ['disclosed', 'rejected', 'duplicate'].includes(c.state)) return;
    await this.outbox.record(tx, reached ? CaseDeadlineReached : CaseDeadlineApproaching, {
      subject: c.id,
      audience: await caseAudience(tx, c.id),
      data: {
        caseId: c.id, title: c.title, state: c.state, deadlineAt: new Date(c.deadline_at).toISOString(), reached,
        ...(timer.payload.remaining ? { remaining: timer.payload.remaining } : {}),
      },
    });
  }
}
