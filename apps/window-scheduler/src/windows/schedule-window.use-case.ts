// A submission arrived: its window is computed under the programme's rules and its timers are set.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { SubmissionReceivedV1 } from '@vantage/contracts';
import { schedule } from './access-window';
import { WindowRow } from './window.entity';
import { WindowStore } from './window-store';

@Injectable()
export class ScheduleWindowUseCase {
  constructor(
    private readonly store: WindowStore,
    private readonly clock: Clock,
  ) {}

  async execute(tx: EntityManager, received: SubmissionReceivedV1): Promise<void> {
    if (await this.store.load(tx, received.submissionId)) return;
    const now = this.clock.now();
    const earliestAccessAt = received.earliestAccessAt ? new Date(received.earliestAccessAt) : null;
    const t = schedule({ plannedReleaseAt: new Date(received.plannedReleaseAt), earliestAccessAt }, now, this.store.policy);
    const row = Object.assign(new WindowRow(), {
      submissionId: received.submissionId,
      labId: received.labId,
      earliestAccessAt,
      agencies: received.agencies ?? null,
    });
    await this.store.save(tx, row, t, now, true);
  }
}
