// A window opened: a run per active suite, each told as started and handed to the executor; with no active suite
// the decision rests on declared compute alone and is made now.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { BenchRunStarted, GetSubmissionFacts } from '@vantage/contracts';
import { RpcClient } from '@vantage/messaging';
import { UseCase } from '@vantage/runtime';
import { SubmissionStore } from '../submissions/submission-store';
import { SuiteStore } from '../suites/suite-store';
import { DecideClassificationUseCase } from './decide-classification.use-case';
import { RunExecutor } from './run-executor';
import { RunStore } from './run-store';

export interface StartRunsCommand {
  submissionId: string;
}

@Injectable()
export class StartRunsUseCase implements UseCase<StartRunsCommand> {
  constructor(
    private readonly suites: SuiteStore,
    private readonly runs: RunStore,
    private readonly submissions: SubmissionStore,
    private readonly decide: DecideClassificationUseCase,
    private readonly executor: RunExecutor,
    private readonly rpc: RpcClient,
    private readonly clock: Clock,
  ) {}

  async execute({ submissionId }: StartRunsCommand, tx: EntityManager): Promise<void> {
    const now = this.clock.now();
    await this.knowSubmission(tx, submissionId);
    for (const suite of await this.suites.activeSuites(tx)) {
      const run = await this.runs.start(tx, submissionId, suite, now);
      if (run) await this.runs.publish(tx, BenchRunStarted, run);
    }
    await this.decide.execute({ submissionId }, tx);
    // Looks for the new runs soon; the executor's poll catches them anyway once this transaction commits.
    this.executor.wake();
  }

  /**
   * The decision needs the owner and the declared compute. They come with submission.received, on intake's
   * stream, which may not have been handled yet when the window's stream says it opened; then they are asked
   * of intake (if intake cannot answer, the event is retried later, before any run or decision exists).
   *
   * The call is made inside the consumer's transaction, and stays there: the consumer host opens that transaction
   * (with the event's inbox row) before any handler code runs, and offers no step before it, so the call cannot be
   * moved ahead of it without changing libs/messaging for every service. While it is out the transaction holds a
   * pooled connection and the inbox row only: no lock of this submission is taken yet, and it is asked only in
   * the rare order where the window's event outran intake's.
   */
  private async knowSubmission(tx: EntityManager, submissionId: string): Promise<void> {
    if (await this.submissions.isKnown(tx, submissionId)) return;
    const facts = await this.rpc.request(GetSubmissionFacts, { submissionId });
    await this.submissions.record(tx, facts, this.clock.now());
  }
}
