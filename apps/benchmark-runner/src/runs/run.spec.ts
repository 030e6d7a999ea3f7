import { POLICY_VERSION } from '../scoring/policy';
import { allOver, canaryOf, classify, RunRow, runView, scoreOf } from './run';

const at = new Date('2026-11-26T00:00:00Z');

function run(over: Partial<RunRow> = {}): RunRow {
  return {
    id: '00000000-0000-4000-8000-0000000000a1', submission_id: '00000000-0000-4000-8000-0000000000f1', suite_id: '00000000-0000-4000-8000-0000000000b1',
    state: 'completed', total: 100, correct: 90, wrong: 10, errored: 0, interrupted: 0, accuracy: null, lower_bound: null, upper_bound: null,
    interval_method: null, canary_known: null, canary_matched: null, canary_errored: null, started_at: at, finished_at: null, abort_reason: null,
    name: 'arith', version: '1', content_hash: 'a'.repeat(64), classification: 'unclassified', threshold: 0.5, epochs: 1,
    ...over,
  };
}

describe('a run', () => {
  it('is scored by its stored interval once completed, else by Wilson over the answered trials', () => {
    expect(scoreOf(run({ accuracy: 0.9, lower_bound: 0.8, upper_bound: 0.95, interval_method: 'bootstrap' })))
      .toEqual({ accuracy: 0.9, lower: 0.8, upper: 0.95, interval: 'bootstrap' });
    expect(scoreOf(run({ correct: 9, wrong: 1, errored: 5 }))).toMatchObject({ accuracy: 0.9, interval: 'wilson' });
    expect(scoreOf(run({ correct: 0, wrong: 0 }))).toBeUndefined();
  });

  it('says whether the model knew the canary, never the canary', () => {
    expect(canaryOf(run())).toBeUndefined();
    expect(canaryOf(run({ canary_errored: true }))).toEqual({ errored: true });
    expect(canaryOf(run({ canary_errored: false, canary_known: true, canary_matched: 1 }))).toEqual({ known: true, matched: 1, errored: false });
  });

  it('is shown with its suite, its score and how it ended', () => {
    const view = runView(run({ state: 'aborted', abort_reason: 'window closed (expired)', finished_at: at, threshold: null }));
    expect(view).toMatchObject({ state: 'aborted', abortReason: 'window closed (expired)', finishedAt: at.toISOString(), accuracy: 0.9 });
    expect(view.suite).toEqual({ suiteId: run().suite_id, name: 'arith', version: '1', contentHash: 'a'.repeat(64), classification: 'unclassified', epochs: 1 });
  });
});

describe('the decision on a submission\'s runs', () => {
  it('waits until no run is running', () => {
    expect(allOver([run(), run({ state: 'aborted' })])).toBe(true);
    expect(allOver([run(), run({ state: 'running' })])).toBe(false);
    expect(allOver([])).toBe(true);
  });

  it('takes completed runs as evidence and names every run\'s suite, with its line when it counted', () => {
    const strong = run({ suite_id: 's-strong', name: 'strong', accuracy: 0.9, lower_bound: 0.8, upper_bound: 0.95, interval_method: 'wilson' });
    // An aborted run's partial score is reported, not used, however high.
    const aborted = run({ suite_id: 's-aborted', name: 'aborted', state: 'aborted', classification: 'secret', correct: 100, wrong: 0 });
    const d = classify('sub', [strong, aborted], null, 1e26, at);
    expect(d).toMatchObject({ submissionId: 'sub', frontier: true, policyVersion: POLICY_VERSION, computeBasis: [], compute: { frontierAtFlop: 1e26 }, decidedAt: at });
    expect(d.basis).toEqual(['suite strong@1: 95% lower bound (wilson) 0.8000 >= threshold 0.5']);
    expect(d.suites).toEqual([
      { suiteId: 's-strong', name: 'strong', version: '1', contentHash: 'a'.repeat(64), classification: 'unclassified', basis: d.basis[0] },
      { suiteId: 's-aborted', name: 'aborted', version: '1', contentHash: 'a'.repeat(64), classification: 'secret' },
    ]);
  });

  it('rests on declared compute alone when there are no runs', () => {
    const d = classify('sub', [], 3.1e26, 1e26, at);
    expect(d.frontier).toBe(true);
    expect(d.computeBasis).toEqual(['compute: declared 3.10e+26 FLOP >= 1.00e+26']);
    expect(d.suites).toEqual([]);
    expect(classify('sub', [], null, 1e26, at).frontier).toBe(false);
  });
});
