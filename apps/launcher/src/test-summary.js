// The one summary line of `npm test` and whether the run passed, from jest's --json results. A suite that could
// not run (a file it needs is missing, an import throws) reports no test of its own, so it counts as one failure:
// the line never says `0 failed` about a run that did not test everything.
'use strict';

/**
 * @param {{lintStatus: number, jestStatus: number, results?: {numPassedTests: number, numFailedTests: number,
 *   numPendingTests: number, numTodoTests?: number, numRuntimeErrorTestSuites: number}, resultsFile: string}} run
 * @returns {{line: string, problems: string[], ok: boolean}}
 */
function summarise({ lintStatus, jestStatus, results, resultsFile }) {
  const passed = results ? results.numPassedTests : 0;
  const brokenSuites = results ? results.numRuntimeErrorTestSuites : 0;
  const failed = (results ? results.numFailedTests : 0) + brokenSuites;
  const skipped = results ? results.numPendingTests + (results.numTodoTests || 0) : 0;
  const problems = [];
  if (lintStatus !== 0) problems.push('lint or the type check failed');
  if (!results) problems.push(`jest wrote no results to ${resultsFile}`);
  else if (brokenSuites > 0) problems.push(`${brokenSuites} test suite(s) could not run, each counted as failed`);
  if (jestStatus !== 0 && failed === 0) problems.push(`jest exited with ${jestStatus}`);
  if (results && passed + failed === 0) problems.push('no test ran');
  const line = `tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  return { line, problems, ok: problems.length === 0 && failed === 0 };
}

module.exports = { summarise };
