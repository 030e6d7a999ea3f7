// Decides a submission once every run of its window is over, and tells the lab, the granted agencies and the
// operators; a second call (a redelivery, a race) changes nothing. Made by the verbs that end runs (complete, abort)
// and by the start of a window with no active suite, in their transactions.
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { SERVICE_CONFIG, UseCase } from '@vantage/runtime';
import { BenchmarkRunnerConfig } from '../config';
import { SubmissionStore } from '../submissions/submission-store';
import { allOver, classify } from './run';
import { RunStore } from './run-store';

export interface DecideClassificationCommand {
  submissionId: string;
}

@Injectable()
export class DecideClassificationUseCase implements UseCase<DecideClassificationCommand> {
  constructor(
    private readonly runs: RunStore,
    private readonly submissions: SubmissionStore,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Pick<BenchmarkRunnerConfig, 'FRONTIER_COMPUTE_THRESHOLD_FLOP'>,
  ) {}

  async execute({ submissionId }: DecideClassificationCommand, tx: EntityManager): Promise<void> {
    // Serialises the deciders of one submission (completion in the executor, abort in a handler) and new grants.
    await this.runs.lock(tx, submissionId);
    const runs = await this.runs.runsOf(tx, submissionId);
    if (!allOver(runs)) return;
    const submission = await this.submissions.load(tx, submissionId);
    const decision = classify(submissionId, runs, submission?.declaredTrainingFlop ?? null, this.config.FRONTIER_COMPUTE_THRESHOLD_FLOP, this.clock.now());
    if (!(await this.runs.recordDecision(tx, decision))) return;
    const granted = await this.runs.grantedAgencies(tx, submissionId);
    await this.runs.publishDecision(tx, decision, { told: [...(submission ? [submission.labId] : []), ...granted], granted, operators: true });
  }
}
