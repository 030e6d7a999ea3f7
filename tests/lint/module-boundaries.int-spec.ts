// The monorepo's boundaries are enforced by lint: an app may not import another app, and a library
// may not import an app. Each probe is linted as if it were a file at that path.
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(120_000);

const root = path.resolve(__dirname, '../..');

/** Runs the real ESLint command line on `source` as the file at `filePath`. */
function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', filePath],
      { cwd: root, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        try {
          const [result] = JSON.parse(stdout) as { messages: { ruleId: string; message: string }[] }[];
          resolve(result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message));
        } catch {
          reject(new Error(`eslint did not report (${error?.message}): ${stderr}`));
        }
      },
    );
    child.stdin?.end(source);
  });
}

describe('module boundaries', () => {
  beforeAll(() => {
    // The rule reads Nx's project graph; without one it would skip silently.
    execFileSync(process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], { cwd: root, stdio: 'ignore' });
  });

  it('fails lint when an app imports another app', async () => {
    const errors = await boundaryErrors(
      'apps/intake/src/boundary-probe.ts',
      "import { WindowSchedulerConfig } from '@vantage/apps/window-scheduler';\nexport const probe = WindowSchedulerConfig;\n",
    );
    expect(errors.join('\n')).toMatch(/Imports of apps are forbidden/);
  });

  it('fails lint when an app reaches into another app by a relative path', async () => {
    const errors = await boundaryErrors(
      'apps/intake/src/boundary-probe.ts',
      "import { WindowSchedulerConfig } from '../../window-scheduler/src/config';\nexport const probe = WindowSchedulerConfig;\n",
    );
    expect(errors.join('\n')).toMatch(/cannot be imported by a relative or absolute path/);
  });

  it('fails lint when a library imports an app', async () => {
    const errors = await boundaryErrors(
      'libs/messaging/src/boundary-probe.ts',
      "import { IntakeConfig } from '@vantage/apps/intake';\nexport const probe = IntakeConfig;\n",
    );
    // Reported as an app import, or as the cycle it makes (every app depends on the libraries).
    expect(errors.join('\n')).toMatch(/Imports of apps are forbidden|Circular dependency between "messaging" and "intake"/);
  });

  it('fails lint when the contracts library reaches for a platform library (tags)', async () => {
    const errors = await boundaryErrors(
      'libs/contracts/src/boundary-probe.ts',
      "import { SystemClock } from '@vantage/clock';\nexport const probe = SystemClock;\n",
    );
    expect(errors.join('\n')).toMatch(/tagged with "type:contracts" can only depend on libs tagged with "type:contracts"/);
  });

  it('passes when an app imports the shared libraries', async () => {
    const errors = await boundaryErrors(
      'apps/intake/src/boundary-probe.ts',
      "import { SubmissionReceived } from '@vantage/contracts';\nexport const probe = SubmissionReceived;\n",
    );
    expect(errors).toEqual([]);
  });
});
