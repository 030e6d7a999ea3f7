// A run asked every trial: it is completed with its final score and canary check, told as completed, and the model
// is decided if it was the window's last. A run aborted meanwhile stays aborted.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { BenchRunCompleted, CanaryCheckV1, IntervalMethod } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { Interval } from '../scoring/statistics';
import { DecideClassificationUseCase } from './decide-classification.use-case';
import { RunStore } from './run-store';

export interface CompleteRunCommand {
  runId: string;
  submissionId: string;
  /** The accuracy and its 95% interval over all the run's trials; none if no trial was answered. */
  score?: Interval & { method: IntervalMethod };
  canary?: CanaryCheckV1;
}

@Injectable()
export class CompleteRunUseCase implements UseCase<CompleteRunCommand> {
  constructor(
    private readonly runs: RunStore,
    private readonly decide: DecideClassificationUseCase,
    private readonly clock: Clock,
  ) {}

  async execute(command: CompleteRunCommand, tx: EntityManager): Promise<void> {
    if (!(await this.runs.complete(tx, command.runId, this.clock.now(), command.score, command.canary))) return;
    await this.runs.publish(tx, BenchRunCompleted, (await this.runs.run(tx, command.runId))!);
    await this.decide.execute({ submissionId: command.submissionId }, tx);
  }
}
