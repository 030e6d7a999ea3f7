// Withdraw: the lab ends its submission at once; the scheduler cancels the window and revokes grants when it
// hears `submission.withdrawn`. Withdrawing again is harmless.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { withdraw } from './submission';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

export interface WithdrawSubmissionCommand {
  caller: CallerIdentity;
  id: string;
}

@Injectable()
export class WithdrawSubmissionUseCase implements UseCase<WithdrawSubmissionCommand, Submission> {
  constructor(
    private readonly submissions: SubmissionStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: WithdrawSubmissionCommand, tx: EntityManager): Promise<Submission> {
    const current = await this.submissions.requireVisible(tx, command.id, command.caller, { forUpdate: true });
    const now = this.clock.now();
    const { submission, effects } = withdraw(current, now);
    if (effects.length) await this.submissions.save(tx, submission, effects, now);
    return submission;
  }
}
