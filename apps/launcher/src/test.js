// `npm test [-- jest arguments]`: lint and the type check, then every jest project (unit, integration, end-to-end, reliability), then
// one summary line `tests: N passed, M failed[, K skipped]`. Fails if lint or the type check fails, jest fails, or no test ran.
// Integration and end-to-end tests need Postgres and NATS running (.ci/run starts them); the reliability tests
// start private ones of their own (Postgres binaries and nats-server on this machine), which they may kill.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { summarise } = require('./test-summary');

const root = path.resolve(__dirname, '..', '..', '..');
const resultsFile = path.join('tmp', 'jest-results.json');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(args) {
  const result = spawnSync(npx, ['--no', '--', ...args], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) {
    console.error(`could not run ${args[0]}: ${result.error.message}`);
    return 1;
  }
  return result.status === null ? 1 : result.status;
}

function readResults() {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, resultsFile), 'utf8'));
  } catch {
    return undefined;
  }
}

// The module-boundaries rule reads Nx's project graph and silently skips itself without one: make it first.
const graphStatus = run(['nx', 'show', 'projects', '--json']);
const eslintStatus = graphStatus !== 0 ? graphStatus : run(['eslint', '--max-warnings=0', '--no-error-on-unmatched-pattern', 'apps', 'libs', 'tests', 'deploy']);
// The type check: jest compiles with swc, which strips types without checking them. It also holds the SDK's generated
// types, and the code written against them (the CLI, the SDK's tests), to the gateway's OpenAPI document.
const typeStatus = run(['tsc', '-p', 'tsconfig.json', '--noEmit']);
const lintStatus = eslintStatus || typeStatus;
if (lintStatus !== 0) console.error(`\n${eslintStatus ? 'lint' : 'the type check'} failed (exit ${lintStatus}); running the tests anyway, but the run fails\n`);

fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
fs.rmSync(path.join(root, resultsFile), { force: true });
const jestStatus = run([
  'jest',
  '--ci',
  '--runInBand=false',
  '--maxWorkers=2',
  '--json',
  `--outputFile=${resultsFile}`,
  ...process.argv.slice(2),
]);

const { line, problems, ok } = summarise({ lintStatus, jestStatus, results: readResults(), resultsFile });
if (problems.length > 0) console.error(`\n${problems.join('; ')}`);
process.stdout.write(`\n${line}\n`);
process.exit(ok ? 0 : 1);
