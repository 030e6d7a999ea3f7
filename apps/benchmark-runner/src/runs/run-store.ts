// The runner's reads and writes of runs and grants, and the decision once a window's runs are all over, with the
// audience of every event they make. Plain SQL on the caller's transaction, so a state change and its event commit together.
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import {
  Audience, BenchModelClassified, BenchModelEvidenceRecorded, BenchRunAborted, BenchRunCompleted, BenchRunStarted, BenchRunV1, CanaryCheckV1,
  Clearance, EventDefinition, IntervalMethod, RunState, RunView, SuiteEvidenceView, SuiteRefV1,
} from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { BenchmarkRunnerConfig } from '../config';
import { decideFrontier } from '../scoring/policy';
import { evidenceByClassification, RecordedDecision, unclassifiedPart } from './decision-visibility';
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

/** The run event that says where a run stands, for an agency told of it late (see RunStore.recordGrant). */
const EVENT_OF_STATE: Record<RunState, EventDefinition<BenchRunV1>> = { running: BenchRunStarted, completed: BenchRunCompleted, aborted: BenchRunAborted };

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

  /**
   * Operators, and the agencies the lab granted access that are cleared for the suite: a run's counts say something
   * about the suite and about the lab's unreleased model (as GET …/runs). An agency granted after this event is told
   * by recordGrant.
   */
  async publish(tx: EntityManager, definition: EventDefinition<BenchRunV1>, row: RunRow): Promise<void> {
    const granted = await this.grantsOf(tx, row.submission_id);
    await this.publishRun(tx, definition, row, Audience.of({ roles: ['operator'] }).or(Audience.clearedAmong(granted, row.classification)));
  }

  private async publishRun(tx: EntityManager, definition: EventDefinition<BenchRunV1>, row: RunRow, audience: Audience): Promise<void> {
    const interval = scoreOf(row);
    await this.outbox.record(tx, definition, {
      subject: row.id,
      audience,
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

  /**
   * The agencies granted access to the submission, read under a lock that recordGrant takes too: an event's audience
   * and a new grant are then ordered, so each granted agency hears of each run and decision once, from whichever
   * comes second. A transaction takes it after its updates of run rows and updates none after it (new rows only),
   * so it cannot close a cycle with the executor's writes.
   */
  private async grantsOf(tx: EntityManager, submissionId: string): Promise<string[]> {
    await lockSubmission(tx, submissionId);
    const rows: { agency_id: string }[] = await tx.query('SELECT agency_id FROM bench.grants WHERE submission_id = $1 ORDER BY agency_id', [submissionId]);
    return rows.map((r) => r.agency_id);
  }

  /**
   * Records a grant. The scheduler issues a window's grants just after it says the window opened, and replicas handle
   * events side by side, so runs may have started (or even finished, and the model been decided) before their grant
   * is known here: the agency is then told where each run stands and the decision as its audience would have had it,
   * in events of its own. The runner does not know the agency's clearance: each event names the level it needs
   * (`org:<agency>+clearance:<level>`) and fan-out tests it. An agency that held a grant keeps hearing of the
   * submission's runs after the window closes, as it may still read them (GET …/runs).
   */
  async recordGrant(tx: EntityManager, submissionId: string, agencyId: string): Promise<void> {
    await lockSubmission(tx, submissionId);
    const added: unknown[] = await tx.query(
      'INSERT INTO bench.grants (submission_id, agency_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING agency_id', [submissionId, agencyId],
    );
    if (!added.length) return;
    for (const row of await this.runsOf(tx, submissionId)) {
      await this.publishRun(tx, EVENT_OF_STATE[row.state], row, Audience.clearedAmong([agencyId], row.classification));
    }
    const decision = await this.decision(tx, submissionId);
    if (decision) await this.publishDecision(tx, decision, { told: [agencyId], granted: [agencyId] });
  }

  /** Decides once every run of the window is over; a second call (a redelivery, a race) changes nothing. */
  async decideIfDone(tx: EntityManager, submissionId: string): Promise<void> {
    // Serialises the deciders of one submission (completion in the executor, abort in a handler) and new grants.
    await lockSubmission(tx, submissionId);
    const runs = await this.runsOf(tx, submissionId);
    if (runs.some((r) => r.state === 'running')) return;
    const [submission] = await tx.query('SELECT lab_id, declared_training_flop FROM bench.submissions WHERE submission_id = $1', [submissionId]);
    const decision = decideFrontier({
      declaredTrainingFlop: submission?.declared_training_flop ?? null,
      computeThresholdFlop: this.config.FRONTIER_COMPUTE_THRESHOLD_FLOP,
      // Only completed runs are evidence; an aborted run's partial score is reported, not used.
      suites: runs.filter((r) => r.state === 'completed').map((r) => ({
        suiteId: r.suite_id, name: r.name, version: r.version, threshold: r.threshold ?? undefined, interval: scoreOf(r), method: scoreOf(r)?.interval,
      })),
    });
    const decidedAt = this.clock.now();
    const suites: SuiteEvidenceView[] = runs.map((r) => ({
      ...suiteRef(r), classification: r.classification, ...(decision.suiteBasis[r.suite_id] ? { basis: decision.suiteBasis[r.suite_id] } : {}),
    }));
    const inserted: unknown[] = await tx.query(
      `INSERT INTO bench.classifications (submission_id, frontier, basis, policy_version, suites, decided_at, compute_basis, compute)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id`,
      [submissionId, decision.frontier, JSON.stringify(decision.basis), decision.policyVersion, JSON.stringify(suites), decidedAt,
        JSON.stringify(decision.computeBasis), JSON.stringify(decision.compute)],
    );
    if (!inserted.length) return;
    const granted = await this.grantsOf(tx, submissionId);
    await this.publishDecision(
      tx,
      { submissionId, frontier: decision.frontier, policyVersion: decision.policyVersion, basis: decision.basis, computeBasis: decision.computeBasis, suites, compute: decision.compute, decidedAt },
      { told: [...(submission ? [submission.lab_id as string] : []), ...granted], granted, operators: true },
    );
  }

  async decision(tx: EntityManager, submissionId: string): Promise<RecordedDecision | undefined> {
    const [row] = await tx.query('SELECT * FROM bench.classifications WHERE submission_id = $1', [submissionId]);
    if (!row) return undefined;
    return {
      submissionId, frontier: row.frontier, policyVersion: row.policy_version, basis: row.basis, computeBasis: row.compute_basis, suites: row.suites,
      ...(row.compute ? { compute: row.compute } : {}), decidedAt: row.decided_at,
    };
  }

  /**
   * The decision in two parts: what needs no clearance to everyone `told` (the lab and the granted agencies), and,
   * for each classification with suites, those suites and their lines to the `granted` agencies cleared for it.
   * Operators get both when `operators` is set (not on a late grant's copies: they had them).
   */
  private async publishDecision(tx: EntityManager, d: RecordedDecision, to: { told: string[]; granted: string[]; operators?: boolean }): Promise<void> {
    const operators = Audience.of({ roles: to.operators ? ['operator'] : [] });
    const { suites: _none, decidedAt, ...unclassified } = unclassifiedPart(d);
    await this.outbox.record(tx, BenchModelClassified, {
      subject: d.submissionId,
      audience: operators.or(Audience.of({ orgs: to.told })),
      data: { submissionId: d.submissionId, ...unclassified, decidedAt },
    });
    for (const { classification, suites } of evidenceByClassification(d)) {
      const audience = operators.or(Audience.clearedAmong(to.granted, classification));
      if (!audience.terms.length) continue;
      await this.outbox.record(tx, BenchModelEvidenceRecorded, {
        subject: d.submissionId,
        audience,
        data: {
          submissionId: d.submissionId, classification, policyVersion: d.policyVersion, decidedAt,
          suites: suites.map(({ classification: _level, ...evidence }) => evidence),
        },
      });
    }
  }
}

/** One submission's decision, grants and run events, one transaction at a time. */
async function lockSubmission(tx: EntityManager, submissionId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bench-decide:${submissionId}`]);
}

/** TypeORM answers an UPDATE … RETURNING on Postgres with `[rows, affected]`, other statements with rows. */
export function returned<T>(result: unknown): T[] {
  return (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result) as T[];
}
