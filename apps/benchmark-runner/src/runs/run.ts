// A run and the frontier decision made from a submission's runs: pure functions of the rows the run store loads
// (no I/O, no clock: the time is an argument).
import { CanaryCheckV1, Clearance, IntervalMethod, RunState, RunView, SuiteEvidenceView, SuiteRefV1 } from '@vantage/contracts';
import { decideFrontier } from '../scoring/policy';
import { Interval, wilson } from '../scoring/statistics';
import { RecordedDecision } from './decision-visibility';

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

/** Where a run stands: its state, its counts, its score and canary so far. The view and the run events both carry it. */
export function runStanding(row: RunRow) {
  const canary = canaryOf(row);
  return {
    state: row.state,
    total: row.total,
    correct: row.correct,
    wrong: row.wrong,
    errored: row.errored,
    interrupted: row.interrupted,
    ...(scoreOf(row) ?? {}),
    ...(canary ? { canary } : {}),
  };
}

export function runView(row: RunRow): RunView {
  return {
    runId: row.id,
    submissionId: row.submission_id,
    suite: { ...suiteRef(row), classification: row.classification, ...(row.threshold === null ? {} : { threshold: row.threshold }), epochs: row.epochs },
    ...runStanding(row),
    startedAt: row.started_at.toISOString(),
    ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
    ...(row.abort_reason ? { abortReason: row.abort_reason } : {}),
  };
}

/** A window's runs are over when none is still running: then the model can be decided. */
export function allOver(runs: Pick<RunRow, 'state'>[]): boolean {
  return !runs.some((r) => r.state === 'running');
}

/**
 * The frontier decision on a submission whose runs are all over, as it is recorded: declared compute against the
 * policy's figure and, as evidence, the completed runs only (an aborted run's partial score is reported, not used).
 */
export function classify(
  submissionId: string, runs: RunRow[], declaredTrainingFlop: number | null, computeThresholdFlop: number, decidedAt: Date,
): RecordedDecision {
  const decision = decideFrontier({
    declaredTrainingFlop,
    computeThresholdFlop,
    suites: runs.filter((r) => r.state === 'completed').map((r) => ({
      suiteId: r.suite_id, name: r.name, version: r.version, threshold: r.threshold ?? undefined, interval: scoreOf(r), method: scoreOf(r)?.interval,
    })),
  });
  const suites: SuiteEvidenceView[] = runs.map((r) => ({
    ...suiteRef(r), classification: r.classification, ...(decision.suiteBasis[r.suite_id] ? { basis: decision.suiteBasis[r.suite_id] } : {}),
  }));
  return {
    submissionId, frontier: decision.frontier, policyVersion: decision.policyVersion, basis: decision.basis, computeBasis: decision.computeBasis,
    suites, compute: decision.compute, decidedAt,
  };
}
