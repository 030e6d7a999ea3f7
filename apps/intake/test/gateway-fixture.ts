// Starts the gateway against a test environment and speaks HTTP to it as labs, agencies and operators do.
import { LookupFunction } from 'node:net';
import { issueApiKey } from '@vantage/crypto';
import { RunningService, TestEnvironment } from '@vantage/testing';
import { AppModule, INTAKE, loadIntakeConfig } from '../src';

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class Gateway {
  private submissions = 0;

  private constructor(
    readonly service: RunningService,
    readonly operatorKey: string,
    private readonly env: TestEnvironment,
    /** The settings it was started with, which its replicas share. */
    private readonly settings: Record<string, unknown>,
    private readonly lookup?: LookupFunction,
  ) {}

  /** `lookup`: how the gateway resolves the labs' hosts (a test's DNS); the system's resolver by default. */
  static async start(env: TestEnvironment, overrides: Record<string, unknown> = {}, lookup?: LookupFunction): Promise<Gateway> {
    const operatorKey = issueApiKey('op-test').key;
    await env.migrate(INTAKE);
    const settings = { VANTAGE_BOOTSTRAP_OPERATOR_KEY: operatorKey, OUTBOUND_ALLOWED_HOSTS: PLACEHOLDER_LAB_HOST, ...overrides };
    const service = await env.start(INTAKE, {
      loadConfig: (e) => loadIntakeConfig(e),
      module: (c, o) => AppModule.forRoot(c, { ...o, lookup }),
      overrides: settings,
    });
    return new Gateway(service, operatorKey, env, settings, lookup);
  }

  /** Another gateway replica on the same database and bus, with the same settings (and operator key) unless `overrides` says. */
  async replica(overrides: Record<string, unknown> = {}): Promise<Gateway> {
    const settings = { ...this.settings, ...overrides };
    const service = await this.env.start(INTAKE, {
      loadConfig: (e) => loadIntakeConfig(e),
      module: (c, o) => AppModule.forRoot(c, { ...o, lookup: this.lookup }),
      overrides: settings,
    });
    return new Gateway(service, this.operatorKey, this.env, settings, this.lookup);
  }

  get url(): string {
    return this.service.url;
  }

  async call<T = any>(method: string, path: string, opts: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: any = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  /** An organisation with a fresh key, created through the API by the operator. */
  async organisation(kind: 'lab' | 'agency' | 'clearinghouse' | 'operator', name = `${kind} org`, clearance?: string) {
    const org = await this.call('POST', '/v1/orgs', { key: this.operatorKey, body: { name, kind, ...(kind === 'agency' ? { clearance: clearance ?? 'secret' } : {}) } });
    if (org.status !== 201) throw new Error(`could not create ${kind}: ${org.status} ${org.text}`);
    const key = await this.call('POST', `/v1/orgs/${org.body.id}/keys`, { key: this.operatorKey });
    if (key.status !== 201) throw new Error(`could not issue a key: ${key.status} ${key.text}`);
    return { id: org.body.id as string, key: key.body.key as string, keyId: key.body.id as string };
  }

  /** A lab's submission through the API, released `releaseInDays` after `now`; returns its id. */
  async submit(labKey: string, now: Date, releaseInDays = 20): Promise<string> {
    const body = submissionBody({
      model: { name: 'acme-frontier', version: `v${++this.submissions}` },
      plannedReleaseAt: new Date(now.getTime() + releaseInDays * 24 * 3600 * 1000).toISOString(),
      earliestAccessAt: undefined,
    });
    const created = await this.call('POST', '/v1/submissions', { key: labKey, body });
    if (created.status !== 201) throw new Error(`could not submit: ${created.status} ${created.text}`);
    return created.body.id as string;
  }

  async close(): Promise<void> {
    await this.service.close();
  }
}

export const LAB_SECRET = 'sk-lab-credential-7c1f9e2d-do-not-leak';

/**
 * The host of submissionBody's endpoint. It never resolves (`.example`), and the tests that use it never call the
 * model; the gateway fixture allow-lists it (OUTBOUND_ALLOWED_HOSTS) so that such submissions are accepted.
 */
export const PLACEHOLDER_LAB_HOST = 'api.acme.example';

/**
 * OUTBOUND_ALLOWED_HOSTS for services whose labs a test serves on loopback (lab simulators, local servers over plain
 * http), as a developer's machine does: without it the destination policy refuses them.
 */
export const LOOPBACK_LABS = { OUTBOUND_ALLOWED_HOSTS: `${PLACEHOLDER_LAB_HOST},127.0.0.1` };

export function submissionBody(overrides: Record<string, unknown> = {}) {
  return {
    model: { name: 'acme-frontier', version: '2026-12' },
    plannedReleaseAt: '2026-12-20T00:00:00Z',
    earliestAccessAt: '2026-11-28T00:00:00Z',
    endpoint: { baseUrl: `https://${PLACEHOLDER_LAB_HOST}/v1`, modelId: 'acme-frontier-2026-12', apiKey: LAB_SECRET },
    declaredTrainingFlop: 3.1e26,
    ...overrides,
  };
}
