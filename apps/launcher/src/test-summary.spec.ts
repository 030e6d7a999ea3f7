import { summarise } from './test-summary';

const results = (over: Record<string, number> = {}) => ({
  numPassedTests: 10,
  numFailedTests: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  numRuntimeErrorTestSuites: 0,
  ...over,
});
const base = { lintStatus: 0, jestStatus: 0, resultsFile: 'tmp/jest-results.json' };

describe('npm test summary line', () => {
  it('passes a clean run and says how many passed', () => {
    expect(summarise({ ...base, results: results() })).toEqual({ line: 'tests: 10 passed, 0 failed', problems: [], ok: true });
  });

  it('counts a suite that could not run as a failure, never "0 failed"', () => {
    const s = summarise({ ...base, jestStatus: 1, results: results({ numRuntimeErrorTestSuites: 2 }) });
    expect(s.line).toBe('tests: 10 passed, 2 failed');
    expect(s.problems).toEqual(['2 test suite(s) could not run, each counted as failed']);
    expect(s.ok).toBe(false);
  });

  it('fails when lint or the type check fails even though every test passed', () => {
    expect(summarise({ ...base, lintStatus: 1, results: results() })).toMatchObject({ ok: false, problems: ['lint or the type check failed'] });
  });

  it('fails when no test ran, or jest wrote nothing', () => {
    expect(summarise({ ...base, results: results({ numPassedTests: 0 }) })).toMatchObject({ ok: false, problems: ['no test ran'] });
    expect(summarise({ ...base, jestStatus: 1, results: undefined })).toMatchObject({
      ok: false,
      line: 'tests: 0 passed, 0 failed',
      problems: ['jest wrote no results to tmp/jest-results.json', 'jest exited with 1'],
    });
  });

  it('reports skipped and todo tests', () => {
    expect(summarise({ ...base, results: results({ numPendingTests: 2, numTodoTests: 1 }) }).line).toBe('tests: 10 passed, 0 failed, 3 skipped');
  });
});
