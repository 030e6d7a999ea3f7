// The `vantage` command line against the whole system (every service its own process), as its users run it: an
// operator enrols a lab and an agency through the API; the lab submits from a YAML manifest and reads its window;
// the agency talks to the model; `listen` forwards an event to a local receiver, signed so that the receiver's
// Standard Webhooks check passes; the lab declares the release; the agency reports a finding and reads its case.
// Keys go in on standard input only; every command's --json output is what these checks read; failures end with
// the documented exit codes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { createLabSimulator, LabSimulator } from '@vantage/apps/lab-simulator';
import { INTAKE } from '@vantage/apps/intake';
import { NOTIFIER } from '@vantage/apps/notifier';
import { VULN_CLEARINGHOUSE } from '@vantage/apps/vuln-clearinghouse';
import { WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { BENCHMARK_RUNNER } from '@vantage/apps/benchmark-runner';
import { issueApiKey } from '@vantage/crypto';
import { Receiver, ServiceProcess, TestEnvironment, waitFor } from '@vantage/testing';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'apps/cli/bin/vantage.js');
const DAY = 24 * 3600 * 1000;
const MODEL_KEY = 'sk-cli-lab-model-key';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the vantage command line, end to end', () => {
  let env: TestEnvironment;
  let sim: LabSimulator;
  let dir: string;
  let gateway: string;
  const processes: ServiceProcess[] = [];
  const operatorKey = issueApiKey('cli-operator').key;

  /** Runs `vantage <args>` as a user would, with its own config folder; `input` goes to standard input. */
  function vantage(args: string[], opts: { input?: string; env?: Record<string, string>; signalAfter?: (run: Run, kill: () => void) => void } = {}): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, VANTAGE_CONFIG_DIR: path.join(dir, 'config'), ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const run: Run = { code: null, stdout: '', stderr: '' };
      child.stdout.on('data', (c: Buffer) => (run.stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (run.stderr += c.toString()));
      child.stdin.end(opts.input ?? '');
      child.on('exit', (code) => resolve({ ...run, code }));
    });
  }
  const json = (run: Run) => {
    if (run.code !== 0) throw new Error(`vantage exited ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').pop()!);
  };
  const as = (profile: string, ...args: string[]) => vantage(['--profile', profile, '--json', ...args]);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vantage-cli-'));
    env = await TestEnvironment.create(new Date().toISOString());
    for (const entry of [INTAKE, WINDOW_SCHEDULER, BENCHMARK_RUNNER, VULN_CLEARINGHOUSE, NOTIFIER]) await env.migrate(entry);
    const loopback = { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' };
    const intake = await ServiceProcess.start(env, 'intake', { VANTAGE_BOOTSTRAP_OPERATOR_KEY: operatorKey, EVENT_STREAM_HEARTBEAT_MS: 500, ...loopback });
    processes.push(intake);
    processes.push(await ServiceProcess.start(env, 'window-scheduler', { TIMER_POLL_MS: 100 }));
    processes.push(await ServiceProcess.start(env, 'benchmark-runner', { RUN_POLL_MS: 100, ...loopback }));
    processes.push(await ServiceProcess.start(env, 'vuln-clearinghouse', { TIMER_POLL_MS: 100 }));
    processes.push(await ServiceProcess.start(env, 'notifier', { WEBHOOK_POLL_MS: 50, ...loopback }));
    gateway = intake.url;
    sim = createLabSimulator({ apiKey: MODEL_KEY, models: ['cli-model'], latencyMs: 0, skill: 1, seed: 7 });
  });
  afterAll(async () => {
    for (const p of processes) await p.stop();
    await sim?.close();
    await env?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('takes a lab and an agency from enrolment to a released model and a reported finding', async () => {
    const simUrl = (await sim.listen()).url;
    // The operator's key goes in on standard input, and is kept in a file only its owner can read.
    const login = await vantage(['login', '--url', gateway, '--name', 'op', '--json'], { input: `${operatorKey}\n` });
    expect(json(login)).toMatchObject({ profile: 'op', kind: 'operator' });
    expect(statSync(path.join(dir, 'config', 'profiles.json')).mode & 0o077).toBe(0);
    expect(login.stdout + login.stderr).not.toContain(operatorKey);

    const enrol = async (name: string, kind: string, clearance?: string) => {
      const org = json(await as('op', 'orgs', 'create', '--name', name, '--kind', kind, ...(clearance ? ['--clearance', clearance] : [])));
      const key = json(await as('op', 'keys', 'create', '--org', org.id));
      expect(json(await vantage(['login', '--url', gateway, '--name', name, '--json'], { input: key.key }))).toMatchObject({ orgId: org.id, kind });
      return org.id as string;
    };
    const labId = await enrol('lab', 'lab');
    const agencyId = await enrol('agency', 'agency', 'secret');
    expect(json(await as('agency', 'whoami'))).toMatchObject({ orgId: agencyId, kind: 'agency', clearance: 'secret' });

    // The lab submits from a manifest; the model key comes from the environment, never the file.
    writeFileSync(path.join(dir, 'model.yaml'), [
      'model: { name: cli-model, version: "1" }',
      `plannedReleaseAt: ${new Date(Date.now() + 10 * DAY).toISOString()}`,
      'endpoint:',
      `  baseUrl: ${simUrl}/v1`,
      '  modelId: cli-model',
      '  apiKeyEnv: CLI_MODEL_KEY',
      `agencies: [${agencyId}]`,
      '',
    ].join('\n'));
    const submitted = json(await vantage(['--profile', 'lab', '--json', 'submissions', 'submit', '-f', 'model.yaml'], { env: { CLI_MODEL_KEY: MODEL_KEY } }));
    expect(submitted).toMatchObject({ status: 'active', model: { name: 'cli-model', version: '1' } });
    const id = submitted.id as string;
    expect(json(await as('lab', 'submissions', 'list')).items.map((s: any) => s.id)).toEqual([id]);
    const window = await waitFor(async () => {
      const w = await as('lab', 'window', id);
      return w.code === 0 && json(w).state === 'open' ? json(w) : undefined;
    }, { what: 'the window to open' });
    expect(window.grants).toEqual([expect.objectContaining({ agencyId, state: 'active' })]);
    expect((await as('agency', 'windows', '--state', 'open')).stdout).toContain(id);

    // The agency asks the model through the gateway, streamed to the terminal and as JSON.
    const question = 'Task: compute 20 + 22. Answer with the number only.';
    const streamed = await vantage(['--profile', 'agency', 'chat', id, '-m', question]);
    expect(streamed).toMatchObject({ code: 0 });
    expect(streamed.stdout.trim()).toBe('42');
    expect(json(await as('agency', 'chat', id, '-m', question)).choices[0].message.content).toBe('42');
    expect(json(await as('lab', 'access-log', id)).items.filter((e: any) => e.agencyId === agencyId).length).toBeGreaterThanOrEqual(2);

    // `listen` forwards the agency's events to a local receiver, signed with the secret it was given.
    const secret = 'whsec_' + Buffer.from('cli-listen-secret-0123456789').toString('base64');
    const receiver = await Receiver.start(() => ({ status: 204 }));
    try {
      const listening = as('agency', 'listen', '--forward-to', receiver.url, '--secret', secret, '--types', 'gov.vantage.window.window.closed.v1', '--count', '1');
      // The lab declares the release: the window closes at once; the agency hears of it.
      expect((await as('lab', 'submissions', 'release', id)).code).toBe(2); // without --yes: refused, nothing sent
      expect(json(await as('lab', 'submissions', 'release', id, '--yes'))).toMatchObject({ id, status: 'released' });
      const forwarded = await listening;
      expect(json(forwarded)).toMatchObject({ type: 'gov.vantage.window.window.closed.v1', status: 204 });
      expect(receiver.requests).toHaveLength(1);
      const event = new Webhook(secret).verify(receiver.requests[0].body, receiver.requests[0].headers) as any;
      expect(event).toMatchObject({ type: 'gov.vantage.window.window.closed.v1', subject: id });
    } finally {
      await receiver.close();
    }
    expect(json(await as('lab', 'window', id)).state).toBe('closed');
    const refused = await as('agency', 'chat', id, '-m', question);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/window_not_open/);

    // The agency reports what it found with the model; the proof of concept comes from a file.
    writeFileSync(path.join(dir, 'poc.txt'), 'curl -H "X-Long: $(python3 -c print(\'A\'*70000))" https://target');
    writeFileSync(path.join(dir, 'finding.yaml'), [
      'title: Heap overflow in libcli parse_header',
      'description: A long header overflows a fixed buffer.',
      'affected: [{ purl: pkg:npm/libcli, versions: { introduced: 1.0.0, fixed: 1.0.5 } }]',
      'cwe: CWE-122',
      'cvssVector: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'proofOfConceptFile: poc.txt',
      `discoveredWith: { model: cli-model, submissionId: ${id}, tool: vantage chat }`,
      '',
    ].join('\n'));
    const reported = json(await as('agency', 'findings', 'submit', '-f', 'finding.yaml'));
    expect(reported).toMatchObject({ duplicate: false, severity: { version: '3.1', baseScore: 9.8 } });
    const kase = json(await as('agency', 'cases', 'get', reported.caseId));
    expect(kase).toMatchObject({ id: reported.caseId, state: expect.any(String) });
    expect(labId).toBeDefined();
  });

  it('ends with the documented exit codes, naming the field or the code', async () => {
    // A usage error: nothing is sent.
    expect((await vantage(['submissions', 'frobnicate'])).code).toBe(2);
    // A secret written in the manifest is refused before anything is sent, naming the field.
    writeFileSync(path.join(dir, 'inline.yaml'), 'model: { name: x, version: "1" }\nplannedReleaseAt: 2030-01-01T00:00:00Z\nendpoint: { baseUrl: https://x.example/v1, modelId: x, apiKey: sk-inline }\n');
    const inline = await as('lab', 'submissions', 'submit', '-f', 'inline.yaml');
    expect(inline.code).toBe(2);
    expect(inline.stderr).toContain('endpoint.apiKey');
    // The API refuses a rule: the field is named.
    writeFileSync(path.join(dir, 'past.yaml'), 'model: { name: x, version: "2" }\nplannedReleaseAt: 2020-01-01T00:00:00Z\nendpoint: { baseUrl: https://x.example/v1, modelId: x, apiKeyEnv: K }\n');
    const past = await vantage(['--profile', 'lab', 'submissions', 'submit', '-f', 'past.yaml'], { env: { K: 'sk-k' } });
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/plannedReleaseAt/);
    // A role that may not: 3. Something that is not there (or not yours): 4.
    expect((await as('lab', 'orgs', 'create', '--name', 'X', '--kind', 'lab')).code).toBe(3);
    expect((await as('lab', 'submissions', 'get', '0192f0a0-0000-7000-8000-00000000beef')).code).toBe(4);
    // No profile: a usage error saying how to log in.
    const none = await vantage(['--profile', 'nobody', 'submissions', 'list']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/vantage login/);
    // A gateway that is not there: 5.
    expect((await vantage(['submissions', 'list'], { env: { VANTAGE_API_KEY: 'vnt_x_yyyyyyyyyyyyyyyyyyyyyyyy', VANTAGE_URL: 'http://127.0.0.1:9' } })).code).toBe(5);
    expect(readFileSync(path.join(dir, 'config', 'profiles.json'), 'utf8')).not.toContain('sk-');
  });
});
