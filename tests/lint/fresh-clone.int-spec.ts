// A fresh clone with nothing beside it must pass the unit tests: no test may read a file outside the repository
// (the reference schemas once lived in a folder beside the checkout) or one that is git-ignored. The repository's
// files, as they would be committed, are copied into an empty folder, given this checkout's node_modules, and the
// unit project runs there.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

jest.setTimeout(300_000);

const root = path.resolve(__dirname, '../..');

describe('a fresh clone with nothing beside it', () => {
  let parent: string;
  let clone: string;
  let resultsFile: string;

  beforeAll(() => {
    parent = mkdtempSync(path.join(tmpdir(), 'vantage-fresh-'));
    clone = path.join(parent, 'vantage');
    resultsFile = path.join(mkdtempSync(path.join(tmpdir(), 'vantage-fresh-results-')), 'unit.json');
    // Tracked files and new ones not yet committed, never ignored ones (node_modules, .vantage, tmp).
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      .split('\0')
      .filter(Boolean);
    for (const file of files) {
      mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
      try {
        cpSync(path.join(root, file), path.join(clone, file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted but not yet committed
      }
    }
    symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  });

  afterAll(() => {
    rmSync(parent, { recursive: true, force: true });
    rmSync(path.dirname(resultsFile), { recursive: true, force: true });
  });

  it('has nothing beside the repository', () => {
    expect(readdirSync(parent)).toEqual(['vantage']);
  });

  it('passes every unit test', () => {
    const run = spawnSync(
      process.execPath,
      [path.join(clone, 'node_modules/jest/bin/jest.js'), '--ci', '--selectProjects', 'unit', '--maxWorkers=1', '--json', `--outputFile=${resultsFile}`],
      { cwd: clone, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } },
    );
    if (!existsSync(resultsFile)) throw new Error(`jest wrote no results (exit ${run.status}): ${run.stderr.slice(-4000)}`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    const failures = results.testResults
      .filter((suite: any) => suite.status !== 'passed')
      .map((suite: any) => `${path.relative(clone, suite.name)}: ${(suite.message || '').slice(0, 2000)}`);
    expect(failures).toEqual([]);
    expect(results.numRuntimeErrorTestSuites).toBe(0);
    expect(results.numFailedTests).toBe(0);
    expect(results.numPassedTests).toBeGreaterThan(200);
    expect(run.status).toBe(0);
  });
});
