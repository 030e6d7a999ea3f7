// Release: the lab declares its model public, now or at a moment already past; the scheduler closes the window
// and revokes grants when it hears `submission.released`. Releasing again is harmless.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { release } from './submission';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

export interface ReleaseSubmissionCommand {
  caller: CallerIdentity;
  id: string;
  /** Now when absent. */
  releasedAt?: Date;
}

@Injectable()
export class ReleaseSubmissionUseCase implements UseCase<ReleaseSubmissionCommand, Submission> {
  constructor(
    private readonly submissions: SubmissionStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: ReleaseSubmissionCommand, tx: EntityManager): Promise<Submission> {
    const current = await this.submissions.requireVisible(tx, command.id, command.caller, { forUpdate: true });
    const now = this.clock.now();
    const { submission, effects } = release(current, command.releasedAt, now);
    if (effects.length) await this.submissions.save(tx, submission, effects, now);
    return submission;
  }
}
