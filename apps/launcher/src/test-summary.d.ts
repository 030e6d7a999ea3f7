export interface JestResults {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  numRuntimeErrorTestSuites: number;
}
export function summarise(run: { lintStatus: number; jestStatus: number; results?: JestResults; resultsFile: string }): {
  line: string;
  problems: string[];
  ok: boolean;
};
