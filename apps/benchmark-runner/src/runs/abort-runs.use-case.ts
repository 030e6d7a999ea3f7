// A window closed or was cancelled: its running runs are aborted at once, each told as aborted, and the model is
// decided on what completed.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { BenchRunAborted } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { DecideClassificationUseCase } from './decide-classification.use-case';
import { RunExecutor } from './run-executor';
import { RunStore } from './run-store';

export interface AbortRunsCommand {
  submissionId: string;
  /** Why, as the runs will say: `window closed (expired)`. */
  reason: string;
}

@Injectable()
export class AbortRunsUseCase implements UseCase<AbortRunsCommand> {
  constructor(
    private readonly runs: RunStore,
    private readonly decide: DecideClassificationUseCase,
    private readonly executor: RunExecutor,
    private readonly clock: Clock,
  ) {}

  async execute({ submissionId, reason }: AbortRunsCommand, tx: EntityManager): Promise<void> {
    // First, before anything can fail: no model call may start once the close is heard.
    this.executor.abortSubmission(submissionId, reason);
    const aborted = await this.runs.abortRunning(tx, submissionId, reason, this.clock.now());
    for (const id of aborted) await this.runs.publish(tx, BenchRunAborted, (await this.runs.run(tx, id))!);
    if (aborted.length) await this.decide.execute({ submissionId }, tx);
  }
}
