import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { BenchmarkRunnerConfig } from '../config';
import { SubmissionStore } from '../submissions/submission-store';
import { DecideClassificationUseCase } from './decide-classification.use-case';
import { RecordedDecision } from './decision-visibility';
import { RunRow } from './run';
import { RunStore } from './run-store';

const NOW = new Date('2026-11-26T00:00:00Z');
const tx = {} as EntityManager;

function run(state: RunRow['state']): RunRow {
  return {
    id: 'run', submission_id: 'sub', suite_id: 'suite', state, total: 10, correct: 9, wrong: 1, errored: 0, interrupted: 0, accuracy: 0.9, lower_bound: 0.6,
    upper_bound: 0.98, interval_method: 'wilson', canary_known: null, canary_matched: null, canary_errored: null, started_at: NOW, finished_at: NOW,
    abort_reason: null, name: 'arith', version: '1', content_hash: 'a'.repeat(64), classification: 'secret', threshold: 0.5, epochs: 1,
  };
}

function world(runs: RunRow[], opts: { submission?: { labId: string; declaredTrainingFlop: number | null }; decidedBefore?: boolean } = {}) {
  const calls: string[] = [];
  const recorded: RecordedDecision[] = [];
  const published: { d: RecordedDecision; to: unknown }[] = [];
  const store = {
    lock: async () => void calls.push('lock'),
    runsOf: async () => (calls.push('runsOf'), runs),
    recordDecision: async (_tx: EntityManager, d: RecordedDecision) => (calls.push('recordDecision'), recorded.push(d), !opts.decidedBefore),
    grantedAgencies: async () => (calls.push('grantedAgencies'), ['agency-1']),
    publishDecision: async (_tx: EntityManager, d: RecordedDecision, to: unknown) => void (calls.push('publishDecision'), published.push({ d, to })),
  };
  const submissions = { load: async () => opts.submission };
  const useCase = new DecideClassificationUseCase(
    store as unknown as RunStore, submissions as unknown as SubmissionStore, { now: () => NOW } as Clock,
    { FRONTIER_COMPUTE_THRESHOLD_FLOP: 1e26 } as BenchmarkRunnerConfig,
  );
  return { useCase, calls, recorded, published };
}

describe('DecideClassificationUseCase (unit)', () => {
  it('waits while a run is still running', async () => {
    const w = world([run('completed'), run('running')]);
    await w.useCase.execute({ submissionId: 'sub' }, tx);
    expect(w.calls).toEqual(['lock', 'runsOf']);
  });

  it('decides once all are over and tells the lab, the granted agencies and the operators', async () => {
    const w = world([run('completed')], { submission: { labId: 'lab-1', declaredTrainingFlop: null } });
    await w.useCase.execute({ submissionId: 'sub' }, tx);
    expect(w.calls).toEqual(['lock', 'runsOf', 'recordDecision', 'grantedAgencies', 'publishDecision']);
    expect(w.recorded[0]).toMatchObject({ submissionId: 'sub', frontier: true, decidedAt: NOW, compute: { frontierAtFlop: 1e26 } });
    expect(w.published).toEqual([{ d: w.recorded[0], to: { told: ['lab-1', 'agency-1'], granted: ['agency-1'], operators: true } }]);
  });

  it('decides on declared compute when it knows no owner, and tells only the granted and the operators', async () => {
    const w = world([]);
    await w.useCase.execute({ submissionId: 'sub' }, tx);
    expect(w.recorded[0]).toMatchObject({ frontier: false, suites: [] });
    expect(w.published[0].to).toEqual({ told: ['agency-1'], granted: ['agency-1'], operators: true });
  });

  it('publishes nothing when the submission was decided already', async () => {
    const w = world([run('aborted')], { decidedBefore: true });
    await w.useCase.execute({ submissionId: 'sub' }, tx);
    expect(w.calls).toEqual(['lock', 'runsOf', 'recordDecision']);
  });
});
