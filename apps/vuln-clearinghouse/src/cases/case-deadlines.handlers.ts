// Embargo reminders and the deadline, fired by durable timers (once, across replicas, caught up after a restart).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DueTimer, OnTimer } from '@vantage/scheduling';
import { AnnounceDeadlineUseCase } from './announce-deadline.use-case';

@Injectable()
export class CaseDeadlinesHandlers {
  constructor(private readonly announceDeadline: AnnounceDeadlineUseCase) {}

  @OnTimer('case.deadline-approaching')
  approaching(timer: DueTimer<{ remaining: string }>, tx: EntityManager): Promise<void> {
    return this.announceDeadline.execute({ caseId: timer.entityId, reached: false, remaining: timer.payload.remaining }, tx);
  }

  @OnTimer('case.deadline-reached')
  reached(timer: DueTimer, tx: EntityManager): Promise<void> {
    return this.announceDeadline.execute({ caseId: timer.entityId, reached: true }, tx);
  }
}
