// Withdraw and release: the lab's two ways to end its submission. Both act at once; the scheduler closes
// or cancels the window and revokes grants when it hears the event. Repeating the same act is harmless.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import { Audience, CallerIdentity, ConflictError, RuleViolationError, SubmissionReleased, SubmissionWithdrawn } from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { findVisibleSubmission } from './submission-access';
import { Submission } from './submission.entity';

@Injectable()
export class EndSubmissionUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
  ) {}

  async withdraw(id: string, caller: CallerIdentity): Promise<Submission> {
    return this.dataSource.transaction(async (tx) => {
      const s = await findVisibleSubmission(tx, id, caller, { forUpdate: true });
      if (s.status === 'withdrawn') return s;
      if (s.status === 'released') throw new ConflictError('submission_released', 'the model is already released; there is nothing to withdraw');
      const now = this.clock.now();
      s.status = 'withdrawn';
      s.withdrawnAt = now;
      s.updatedAt = now;
      await tx.save(s);
      await this.outbox.record(tx, SubmissionWithdrawn, {
        subject: s.id,
        audience: Audience.operatorsAnd([s.labId]),
        data: { submissionId: s.id, labId: s.labId, withdrawnAt: now.toISOString() },
      });
      return s;
    });
  }

  async release(id: string, caller: CallerIdentity, releasedAt?: Date): Promise<Submission> {
    return this.dataSource.transaction(async (tx) => {
      const s = await findVisibleSubmission(tx, id, caller, { forUpdate: true });
      if (s.status === 'released') return s;
      if (s.status === 'withdrawn') throw new ConflictError('submission_withdrawn', 'the submission was withdrawn');
      const now = this.clock.now();
      const at = releasedAt ?? now;
      if (at.getTime() > now.getTime()) {
        throw new RuleViolationError('release_in_future', 'releasedAt may not be in the future; reschedule with PATCH instead', [
          { field: 'releasedAt', message: 'may not be in the future' },
        ]);
      }
      s.status = 'released';
      s.releasedAt = at;
      s.updatedAt = now;
      await tx.save(s);
      await this.outbox.record(tx, SubmissionReleased, {
        subject: s.id,
        audience: Audience.operatorsAnd([s.labId]),
        data: { submissionId: s.id, labId: s.labId, releasedAt: at.toISOString() },
      });
      return s;
    });
  }
}
