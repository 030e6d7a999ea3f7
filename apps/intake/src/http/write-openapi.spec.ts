// The SDK's document and types are what `npm run docs` makes from the gateway today. The generator runs as its own
// process, as `npm run docs` runs it: openapi-typescript loads ES modules that jest's module system cannot.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

describe('the SDK is generated from the gateway', () => {
  it('has the OpenAPI document the gateway builds and the types generated from it: run `npm run docs` after changing a route', () => {
    const run = spawnSync(process.execPath, ['-r', './apps/launcher/src/register.js', 'apps/intake/src/http/write-openapi.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
