// Runs the runs: claims running runs (new ones, or those a stopped runner left) with a lease, fetches the
// model endpoint over request-reply, asks every trial not yet answered and checkpoints each outcome as it
// completes (group commit, see run-checkpoint.ts), so a restart never asks an answered trial again. A window's close aborts its runs at once.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { DataSource } from 'typeorm';
import { CanaryCheckV1, GetSubmissionEndpoint, IntervalMethod } from '@vantage/contracts';
import { RpcClient } from '@vantage/messaging';
import { OutboundClient } from '@vantage/outbound';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { BenchmarkRunnerConfig } from '../config';
import { promptFor, score } from '../scoring/scorers';
import { bootstrapMean, Interval, seedOf, wilson } from '../scoring/statistics';
import { SuiteStore } from '../suites/suite-store';
import { canaryCheck, canaryQuestion } from './canary';
import { CompleteRunUseCase } from './complete-run.use-case';
import { ModelClient, ModelEndpoint, RunAbortedError } from './model-client';
import { RunCheckpoint } from './run-checkpoint';
import { ClaimedRun, RunStore } from './run-store';
import { Outcome, Trial, TrialStore } from './trial-store';

@Injectable()
export class RunExecutor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(RunExecutor.name);
  private readonly owner = randomUUID();
  private readonly active = new Map<string, { submissionId: string; controller: AbortController; done: Promise<void> }>();
  private readonly client: ModelClient;
  private timer?: NodeJS.Timeout;
  private polling = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: BenchmarkRunnerConfig,
    private readonly rpc: RpcClient,
    private readonly suites: SuiteStore,
    private readonly runs: RunStore,
    private readonly trials: TrialStore,
    private readonly completeRun: CompleteRunUseCase,
    outbound: OutboundClient,
  ) {
    this.client = new ModelClient(outbound, {
      maxAttempts: config.MODEL_MAX_ATTEMPTS,
      timeoutMs: config.MODEL_TIMEOUT_MS,
      retryBaseMs: config.MODEL_RETRY_BASE_MS,
      retryMaxMs: config.MODEL_RETRY_MAX_MS,
      retryAfterMaxMs: config.MODEL_RETRY_AFTER_MAX_MS,
      minConcurrency: config.MODEL_MIN_CONCURRENCY,
      maxConcurrency: Math.max(config.MODEL_MIN_CONCURRENCY, config.MODEL_MAX_CONCURRENCY),
      initialConcurrency: config.MODEL_INITIAL_CONCURRENCY ?? config.MODEL_MAX_CONCURRENCY,
    });
  }

  onApplicationBootstrap(): void {
    // The first poll resumes runs that were `running` when the service stopped.
    this.timer = setInterval(() => this.poll(), this.config.RUN_POLL_MS);
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // Not an abort of the run: it stays `running` and resumes from its checkpoint on the next start.
    // Calls in flight are let finish and checkpointed (workers take no new trial once `stopped`): cutting them
    // would leave trials the model was already asked without a record, and the next start would ask them again.
    // Only past a grace are they cut.
    const draining = Promise.allSettled([...this.active.values()].map((a) => a.done));
    let grace: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (grace = setTimeout(resolve, Math.min(this.config.MODEL_TIMEOUT_MS, 10_000))));
    await Promise.race([draining, graceOver]);
    clearTimeout(grace);
    for (const a of this.active.values()) a.controller.abort('shutdown');
    await draining;
    await this.runs.releaseLeases(this.dataSource.manager, this.owner).catch(() => undefined);
  }

  /** Looks for work soon (after the caller's transaction has likely committed; the poll catches the rest). */
  wake(): void {
    setTimeout(() => this.poll(), 20).unref();
  }

  /** Stops every model call of a submission's runs now; called as soon as the close is heard. */
  abortSubmission(submissionId: string, reason: string): void {
    for (const a of this.active.values()) if (a.submissionId === submissionId) a.controller.abort(reason);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const claimed = await this.runs.claim(this.dataSource.manager, this.owner, this.config.RUN_LEASE_MS, [...this.active.keys()]);
      for (const run of claimed) this.start(run);
    } catch (e) {
      if (!this.stopped) this.log.warn({ err: (e as Error).message }, 'could not look for runs'); 
    } finally {
      this.polling = false;
    }
  }

  private start(run: ClaimedRun): void {
    const controller = new AbortController();
    // Every in-flight call and every queued slot listens on the run's signal; that is the design, not a leak.
    setMaxListeners(0, controller.signal);
    const done = this.execute(run, controller.signal)
      .catch((e) => {
        if (e instanceof RunAbortedError || controller.signal.aborted) return;
        this.log.error({ runId: run.id, err: (e as Error).message }, 'run failed; it will be resumed'); 
      })
      .finally(async () => {
        this.active.delete(run.id);
        // Another poll may take it up again (resume) unless it ended.
        await this.runs.releaseLease(this.dataSource.manager, run.id, this.owner).catch(() => undefined);
      });
    this.active.set(run.id, { submissionId: run.submission_id, controller, done });
  }

  private async execute(run: ClaimedRun, signal: AbortSignal): Promise<void> {
    const suite = await this.suites.get(this.dataSource.manager, run.suite_id);
    // Over request-reply only, whose answer is sealed to this service: the lab's key never travels in clear or in
    // an event, and is never stored here.
    const endpoint = await this.rpc.request(GetSubmissionEndpoint, { submissionId: run.submission_id });
    const items = await this.suites.openItems(this.dataSource.manager, run.suite_id);
    // Trials a stopped runner had out (recorded `asked`, no outcome) may have been answered: they are not asked
    // again but recorded errored, and counted as interrupted so that the loss is visible.
    await this.trials.interruptAsked(this.dataSource.manager, run.id);
    const answered = await this.trials.recorded(this.dataSource.manager, run.id);
    const seen = new Set(answered.map((a) => `${a.index}:${a.epoch}`));
    const todo: Trial[] = [];
    for (let epoch = 0; epoch < suite.epochs; epoch++) {
      items.forEach((_, index) => {
        if (!seen.has(`${index}:${epoch}`)) todo.push({ index, epoch });
      });
    }
    const checkpoint = new RunCheckpoint(this.dataSource, this.trials, this.runs, run.id, {
      leaseMs: this.config.RUN_LEASE_MS, progressIntervalMs: this.config.RUN_PROGRESS_INTERVAL_MS,
    }, (e) => {
      this.log.error({ runId: run.id, err: e.message }, 'could not checkpoint; the run stops here and resumes from its checkpoint');
      this.active.get(run.id)?.controller.abort('checkpoint failed');
    });
    let next = 0;
    let recorded = 0;
    // Each reason a trial errored for, told once per run: a refused endpoint errs every trial alike.
    const told = new Set<string>();
    const take = (): Trial | undefined => (next < todo.length && !signal.aborted && !this.stopped ? todo[next++] : undefined);
    // Workers only pull trials; the endpoint's adaptive limiter decides how many calls are really in flight.
    // Each worker reserves its next trial while its current call is out (see RunCheckpoint).
    const worker = async () => {
      let current = take();
      let reserved = current && checkpoint.reserve(current);
      while (current && reserved) {
        if (!reserved.settled) checkpoint.hurry();
        await reserved.ready;
        if (signal.aborted || this.stopped) {
          // Reserved, never asked: handed back so that the next start asks it.
          checkpoint.release(current);
          return;
        }
        const following = take();
        const followingReserved = following && checkpoint.reserve(following);
        const item = items[current.index];
        const asked = await this.client.ask(endpoint, promptFor(suite.scorer, item), signal);
        let outcome: Outcome = 'errored';
        if (asked.kind === 'errored' && !told.has(asked.reason) && told.size < 20) {
          told.add(asked.reason);
          this.log.warn({ runId: run.id, reason: asked.reason, attempts: asked.attempts }, 'a trial errored');
        }
        if (asked.kind === 'answer') {
          try {
            outcome = score(suite.scorer, asked.content, item).correct ? 'correct' : 'wrong';
          } catch {
            outcome = 'errored';
          }
        }
        checkpoint.record(current, outcome, asked.attempts);
        recorded++;
        current = following;
        reserved = followingReserved;
      }
    };
    // Settled, not raced: on an abort the other workers' calls end too, and what they recorded is written
    // before the run lets go (a shutdown closes the database right after).
    const workers = await Promise.allSettled(Array.from({ length: Math.max(1, this.config.MODEL_MAX_CONCURRENCY) }, worker));
    try {
      await checkpoint.drain();
    } finally {
      checkpoint.close();
    }
    if (signal.aborted) throw new RunAbortedError(String(signal.reason));
    const failed = workers.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) throw failed.reason;
    // Stopped with trials left (see onModuleDestroy): the run stays `running` for the next start to resume.
    if (recorded < todo.length) return;
    // Last, after every trial: the canary question must not tell the model what the suite is before it runs.
    const canary = await this.checkCanary(run.suite_id, endpoint, signal);
    if (signal.aborted) throw new RunAbortedError(String(signal.reason));
    if (this.stopped) return;
    const final = await this.finalScore(run.id, suite.epochs);
    await this.dataSource.transaction((tx) => this.completeRun.execute({ runId: run.id, submissionId: run.submission_id, score: final, canary }, tx));
    this.log.log({ runId: run.id, submissionId: run.submission_id }, 'run completed');
  }

  /**
   * The accuracy and its 95% interval, from the stored outcomes: Wilson over trials for one epoch; for several,
   * a bootstrap across items of each item's mean over its answered epochs (see scoring/statistics.ts), seeded by
   * the run so that it is the same every time.
   */
  private async finalScore(runId: string, epochs: number): Promise<(Interval & { method: IntervalMethod }) | undefined> {
    if (epochs <= 1) {
      const c = await this.trials.tally(this.dataSource.manager, runId);
      const w = wilson(c.correct, c.n);
      return w && { ...w, method: 'wilson' };
    }
    const perItem = await this.trials.itemMeans(this.dataSource.manager, runId);
    const b = bootstrapMean(Float64Array.from(perItem), seedOf(runId));
    return b && { ...b, method: 'bootstrap' };
  }

  /**
   * Asks the model to continue the first half of the suite's canary and looks for the hidden half in its answer.
   * A model that knows it has very likely been trained on the suite. Neither the canary nor the answer is kept.
   */
  private async checkCanary(suiteId: string, endpoint: ModelEndpoint, signal: AbortSignal): Promise<CanaryCheckV1 | undefined> {
    const canary = await this.suites.openCanary(this.dataSource.manager, suiteId);
    if (!canary) return undefined;
    const { prompt, hidden } = canaryQuestion(canary);
    const asked = await this.client.ask(endpoint, prompt, signal);
    if (asked.kind !== 'answer') return { errored: true };
    return canaryCheck(hidden, asked.content);
  }
}
