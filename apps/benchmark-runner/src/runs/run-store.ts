// The runner's reads and writes of runs, and the decision once a window's runs are all over. Plain SQL on
// the caller's transaction, so a state change and its event commit together.
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import {
  Audience, BenchModelClassified, BenchRunV1, CanaryCheckV1, Clearance, EventDefinition, IntervalMethod, RunState, RunView, SuiteRefV1,
} from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { BenchmarkRunnerConfig } from '../config';
import { decideFrontier } from '../scoring/policy';
import { Interval, wilson } from '../scoring/statistics';

export interface RunRow {
  id: string;
  submission_id: string;
  suite_id: string;
  state: RunState;
  total: number;
  correct: number;
  wrong: number;
  errored: number;
  interrupted: number;
  accuracy: number | null;
  lower_bound: number | null;
  upper_bound: number | null;
  interval_method: IntervalMethod | null;
  canary_known: boolean | null;
  canary_matched: number | null;
  canary_errored: boolean | null;
  started_at: Date;
  finished_at: Date | null;
  abort_reason: string | null;
  name: string;
  version: string;
  content_hash: string;
  classification: Clearance;
  threshold: number | null;
  epochs: number;
}

const RUN_SELECT = `
  SELECT r.id, r.submission_id, r.suite_id, r.state, r.total, r.correct, r.wrong, r.errored, r.interrupted, r.accuracy, r.lower_bound,
         r.upper_bound, r.interval_method, r.canary_known, r.canary_matched, r.canary_errored, r.started_at, r.finished_at,
         r.abort_reason, s.name, s.version, s.content_hash, s.classification, s.threshold, s.epochs
  FROM bench.runs r JOIN bench.suites s ON s.id = r.suite_id`;

export function suiteRef(row: RunRow): SuiteRefV1 {
  return { suiteId: row.suite_id, name: row.name, version: row.version, contentHash: row.content_hash };
}

/**
 * The interval a completed run was scored with (stored when it completed: a bootstrap for several epochs), else
 * Wilson over the trials so far. Errored trials are left out of the denominator: the model was not heard, not wrong.
 */
export function scoreOf(row: Pick<RunRow, 'correct' | 'wrong' | 'accuracy' | 'lower_bound' | 'upper_bound' | 'interval_method'>):
  (Interval & { interval: IntervalMethod }) | undefined {
  if (row.accuracy !== null && row.lower_bound !== null && row.upper_bound !== null && row.interval_method) {
    return { accuracy: row.accuracy, lower: row.lower_bound, upper: row.upper_bound, interval: row.interval_method };
  }
  const w = wilson(row.correct, row.correct + row.wrong);
  return w && { ...w, interval: 'wilson' };
}

/** Whether the model knew the suite's canary; never the canary. */
export function canaryOf(row: Pick<RunRow, 'canary_known' | 'canary_matched' | 'canary_errored'>): CanaryCheckV1 | undefined {
  if (row.canary_errored === null) return undefined;
  if (row.canary_errored) return { errored: true };
  return { known: row.canary_known!, matched: row.canary_matched!, errored: false };
}

export function runView(row: RunRow): RunView {
  const interval = scoreOf(row);
  return {
    runId: row.id,
    submissionId: row.submission_id,
    suite: { ...suiteRef(row), classification: row.classification, ...(row.threshold === null ? {} : { threshold: row.threshold }), epochs: row.epochs },
    state: row.state,
    total: row.total,
    correct: row.correct,
    wrong: row.wrong,
    errored: row.errored,
    interrupted: row.interrupted,
    ...(interval ?? {}),
    ...(canaryOf(row) ? { canary: canaryOf(row) } : {}),
    startedAt: row.started_at.toISOString(),
    ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
    ...(row.abort_reason ? { abortReason: row.abort_reason } : {}),
  };
}

@Injectable()
export class RunStore {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: BenchmarkRunnerConfig,
  ) {}

  async runsOf(tx: EntityManager, submissionId: string): Promise<RunRow[]> {
    return tx.query(`${RUN_SELECT} WHERE r.submission_id = $1 ORDER BY s.name, s.version`, [submissionId]);
  }

  async run(tx: EntityManager, runId: string): Promise<RunRow | undefined> {
    const [row] = await tx.query(`${RUN_SELECT} WHERE r.id = $1`, [runId]);
    return row;
  }

  /** Operators and the agencies cleared for the suite: the run's counts say something about the suite. */
  async publish(tx: EntityManager, definition: EventDefinition<BenchRunV1>, row: RunRow): Promise<void> {
    const interval = scoreOf(row);
    await this.outbox.record(tx, definition, {
      subject: row.id,
      audience: Audience.of({ roles: ['operator'], minClearance: row.classification }),
      data: {
        runId: row.id,
        submissionId: row.submission_id,
        suite: suiteRef(row),
        state: row.state,
        total: row.total,
        correct: row.correct,
        wrong: row.wrong,
        errored: row.errored,
        interrupted: row.interrupted,
        ...(interval ?? {}),
        ...(canaryOf(row) ? { canary: canaryOf(row) } : {}),
        ...(row.abort_reason ? { abortReason: row.abort_reason } : {}),
        at: this.clock.now().toISOString(),
      },
    });
  }

  /** Decides once every run of the window is over; a second call (a redelivery, a race) changes nothing. */
  async decideIfDone(tx: EntityManager, submissionId: string): Promise<void> {
    // Serialises the deciders of one submission (completion in the executor, abort in a handler).
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bench-decide:${submissionId}`]);
    const runs = await this.runsOf(tx, submissionId);
    if (runs.some((r) => r.state === 'running')) return;
    const [submission] = await tx.query('SELECT lab_id, declared_training_flop FROM bench.submissions WHERE submission_id = $1', [submissionId]);
    const decision = decideFrontier({
      declaredTrainingFlop: submission?.declared_training_flop ?? null,
      computeThresholdFlop: this.config.FRONTIER_COMPUTE_THRESHOLD_FLOP,
      // Only completed runs are evidence; an aborted run's partial score is reported, not used.
      suites: runs.filter((r) => r.state === 'completed').map((r) => ({
        name: r.name, version: r.version, threshold: r.threshold ?? undefined, interval: scoreOf(r), method: scoreOf(r)?.interval,
      })),
    });
    const decidedAt = this.clock.now();
    const suites = runs.map(suiteRef);
    const inserted: unknown[] = await tx.query(
      `INSERT INTO bench.classifications (submission_id, frontier, basis, policy_version, suites, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id`,
      [submissionId, decision.frontier, JSON.stringify(decision.basis), decision.policyVersion, JSON.stringify(suites), decidedAt],
    );
    if (!inserted.length) return;
    const grants: { agency_id: string }[] = await tx.query('SELECT agency_id FROM bench.grants WHERE submission_id = $1', [submissionId]);
    await this.outbox.record(tx, BenchModelClassified, {
      subject: submissionId,
      audience: Audience.operatorsAnd([...(submission ? [submission.lab_id as string] : []), ...grants.map((g) => g.agency_id)]),
      data: { submissionId, ...decision, suites, decidedAt: decidedAt.toISOString() },
    });
  }
}

/** TypeORM answers an UPDATE … RETURNING on Postgres with `[rows, affected]`, other statements with rows. */
export function returned<T>(result: unknown): T[] {
  return (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result) as T[];
}
