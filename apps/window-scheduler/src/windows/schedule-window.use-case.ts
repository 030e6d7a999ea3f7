// A submission arrived: the scheduler keeps its copy, computes its window under the programme's rules and sets its
// timers, once (a repeat of the event finds the window there).
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { SubmissionReceivedV1 } from '@vantage/contracts';
import { SERVICE_CONFIG, UseCase } from '@vantage/runtime';
import { WindowSchedulerConfig } from '../config';
import { SubmissionStore } from '../submissions/submission-store';
import { schedule } from './access-window';
import { WindowRow } from './window.entity';
import { windowPolicy } from './window-policy';
import { WindowStore } from './window-store';

export interface ScheduleWindowCommand {
  submission: SubmissionReceivedV1;
}

@Injectable()
export class ScheduleWindowUseCase implements UseCase<ScheduleWindowCommand> {
  constructor(
    private readonly windows: WindowStore,
    private readonly submissions: SubmissionStore,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: WindowSchedulerConfig,
  ) {}

  async execute({ submission }: ScheduleWindowCommand, tx: EntityManager): Promise<void> {
    await this.submissions.record(tx, submission);
    if (await this.windows.load(tx, submission.submissionId)) return;
    const now = this.clock.now();
    const earliestAccessAt = submission.earliestAccessAt ? new Date(submission.earliestAccessAt) : null;
    const t = schedule({ plannedReleaseAt: new Date(submission.plannedReleaseAt), earliestAccessAt }, now, windowPolicy(this.config));
    const row = Object.assign(new WindowRow(), {
      submissionId: submission.submissionId,
      labId: submission.labId,
      earliestAccessAt,
      agencies: submission.agencies ?? null,
    });
    await this.windows.save(tx, row, t, now, true);
  }
}
