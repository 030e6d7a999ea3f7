// The scheduler's own copy of each submission (from submission.received): it never reads intake's tables.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SubmissionReceivedV1 } from '@vantage/contracts';
import { ScheduledSubmission } from './scheduled-submission.entity';

@Injectable()
export class SubmissionStore {
  async record(tx: EntityManager, received: SubmissionReceivedV1): Promise<void> {
    await tx.insert(ScheduledSubmission, {
      submissionId: received.submissionId,
      labId: received.labId,
      plannedReleaseAt: new Date(received.plannedReleaseAt),
      earliestAccessAt: received.earliestAccessAt ? new Date(received.earliestAccessAt) : null,
      agencies: received.agencies ?? null,
      receivedAt: new Date(received.receivedAt),
    });
  }
}
