// The five services as separate processes on real Postgres and NATS: they come up ready, a submission
// made at the gateway reaches the scheduler's own tables across processes, a killed consumer catches up
// on restart, and every service stops cleanly.
import { issueApiKey } from '@vantage/crypto';
import { SERVICE_NAMES } from '@vantage/persistence';
import { ServiceProcess, TestEnvironment, waitFor } from '@vantage/testing';
import { INTAKE } from '@vantage/apps/intake';
import { WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { BENCHMARK_RUNNER } from '@vantage/apps/benchmark-runner';
import { VULN_CLEARINGHOUSE } from '@vantage/apps/vuln-clearinghouse';
import { NOTIFIER } from '@vantage/apps/notifier';

jest.setTimeout(180_000);

describe('the system as separate processes', () => {
  let env: TestEnvironment;
  const operatorKey = issueApiKey('e2e-operator').key;
  const processes = new Map<string, ServiceProcess>();

  beforeAll(async () => {
    env = await TestEnvironment.create(new Date().toISOString());
    for (const entry of [INTAKE, WINDOW_SCHEDULER, BENCHMARK_RUNNER, VULN_CLEARINGHOUSE, NOTIFIER]) await env.migrate(entry);
    for (const service of SERVICE_NAMES) {
      // The lab endpoint of these submissions is on loopback, over plain http: admitted as on a developer's machine.
      const own = service === 'intake' ? { VANTAGE_BOOTSTRAP_OPERATOR_KEY: operatorKey } : {};
      processes.set(service, await ServiceProcess.start(env, service, { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', ...own }));
    }
  });
  afterAll(async () => {
    for (const p of processes.values()) await p.kill();
    await env?.dispose();
  });

  const gateway = () => processes.get('intake')!;
  async function call(method: string, path: string, key: string, body?: unknown) {
    const res = await fetch(`${gateway().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  }
  const submission = (name: string) => ({
    model: { name, version: '1' },
    plannedReleaseAt: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(),
    endpoint: { baseUrl: 'http://127.0.0.1:9/v1', modelId: 'm', apiKey: 'sk-e2e' },
  });
  const schedulerCopy = async (id: string) => (await env.query('SELECT * FROM "window".submissions WHERE submission_id = $1', [id])).length;

  it('serves health and metrics on every service', async () => {
    for (const p of processes.values()) {
      expect((await fetch(`${p.url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${p.url}/health/ready`);
      expect(await ready.json()).toMatchObject({ status: 'ok' });
      expect(await (await fetch(`${p.url}/metrics`)).text()).toContain(`service="${p.service}"`);
    }
  });

  it('carries a submission from the gateway process to the scheduler process, and catches up after a kill -9', async () => {
    const lab = await call('POST', '/v1/orgs', operatorKey, { name: 'E2E Lab', kind: 'lab' });
    const key = (await call('POST', `/v1/orgs/${lab.body.id}/keys`, operatorKey)).body.key;

    const first = await call('POST', '/v1/submissions', key, submission('first'));
    expect(first.status).toBe(201);
    await waitFor(async () => (await schedulerCopy(first.body.id)) === 1, { what: 'the scheduler copy' });

    const scheduler = processes.get('window-scheduler')!;
    await scheduler.kill();
    const second = await call('POST', '/v1/submissions', key, submission('while-down'));
    expect(second.status).toBe(201);
    expect(await schedulerCopy(second.body.id)).toBe(0);
    await scheduler.launch();
    await waitFor(async () => (await schedulerCopy(second.body.id)) === 1, { what: 'the copy after restart' });
    expect(await schedulerCopy(first.body.id)).toBe(1);
  });

  it('stops every service cleanly on SIGTERM', async () => {
    for (const p of processes.values()) expect(await p.stop()).toBe(0);
  });
});
