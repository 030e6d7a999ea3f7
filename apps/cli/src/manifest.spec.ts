import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VantageApiError } from '@vantage/client';
import { findingFromFile, submissionFromManifest } from './manifest';
import { EXIT, exitCodeOf } from './output';
import { resolveProfile, saveProfile, UsageError } from './profiles';

describe('the command line, without a gateway', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'vantage-cli-unit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("takes a submission's model key from the environment or a file beside the manifest, never from the manifest", () => {
    const base = 'model: { name: m, version: "1" }\nplannedReleaseAt: 2030-01-01T00:00:00Z\n';
    const fromEnv = submissionFromManifest(file('a.yaml', `${base}endpoint: { baseUrl: https://x.example/v1, modelId: m, apiKeyEnv: KEY }\n`), { KEY: 'sk-env' });
    expect(fromEnv).toEqual({
      model: { name: 'm', version: '1' },
      plannedReleaseAt: '2030-01-01T00:00:00Z',
      endpoint: { baseUrl: 'https://x.example/v1', modelId: 'm', apiKey: 'sk-env' },
    });
    file('key.txt', 'sk-file\n');
    expect(submissionFromManifest(file('b.yaml', `${base}endpoint: { baseUrl: https://x.example/v1, modelId: m, apiKeyFile: key.txt }\n`), {}).endpoint).toMatchObject({ apiKey: 'sk-file' });
    expect(() => submissionFromManifest(file('c.yaml', `${base}endpoint: { baseUrl: https://x.example/v1, modelId: m, apiKey: sk-inline }\n`), {})).toThrow(/endpoint\.apiKey: do not write the secret/);
    expect(() => submissionFromManifest(file('d.yaml', `${base}endpoint: { baseUrl: https://x.example/v1, modelId: m, apiKeyEnv: MISSING }\n`), {})).toThrow(/endpoint\.apiKeyEnv: the environment variable MISSING is not set/);
    expect(() => submissionFromManifest(file('e.yaml', '- a list\n'), {})).toThrow(UsageError);
    expect(() => submissionFromManifest(path.join(dir, 'nope.yaml'), {})).toThrow(/cannot read/);
  });

  it("reads a finding's proof of concept from a file", () => {
    file('poc.sh', 'exploit\n');
    expect(findingFromFile(file('f.yaml', 'title: T\nproofOfConceptFile: poc.sh\n'), {})).toEqual({ title: 'T', proofOfConcept: 'exploit' });
  });

  it('keeps profiles readable by their owner only, and says how to log in when there is none', () => {
    const env = { VANTAGE_CONFIG_DIR: path.join(dir, 'config') };
    expect(() => resolveProfile(undefined, undefined, env)).toThrow(/vantage login/);
    saveProfile('lab', { url: 'https://g.example', apiKey: 'vnt_a_b' }, env);
    expect(statSync(path.join(dir, 'config', 'profiles.json')).mode & 0o777).toBe(0o600);
    expect(resolveProfile(undefined, undefined, env)).toEqual({ url: 'https://g.example', apiKey: 'vnt_a_b' });
    expect(resolveProfile('lab', 'https://other.example', env).url).toBe('https://other.example');
    expect(resolveProfile(undefined, undefined, { ...env, VANTAGE_API_KEY: 'vnt_x_y', VANTAGE_URL: 'https://e.example' })).toEqual({ url: 'https://e.example', apiKey: 'vnt_x_y' });
  });

  it('ends with an exit code for each kind of failure', () => {
    const api = (status: number) => new VantageApiError(status, { status });
    expect([api(400), api(409), api(422)].map(exitCodeOf)).toEqual([EXIT.refused, EXIT.refused, EXIT.refused]);
    expect([api(401), api(403)].map(exitCodeOf)).toEqual([EXIT.auth, EXIT.auth]);
    expect(exitCodeOf(api(404))).toBe(EXIT.notFound);
    expect([api(429), api(502), api(503)].map(exitCodeOf)).toEqual([EXIT.unavailable, EXIT.unavailable, EXIT.unavailable]);
    expect(exitCodeOf(new UsageError('x'))).toBe(EXIT.usage);
    expect(exitCodeOf(new TypeError('fetch failed'))).toBe(EXIT.unavailable);
  });
});
