// The whole system in one process for the hostile-input and tenancy tests: the gateway and every service
// behind it against one test environment, the organisations of every role, and resources owned by each, so a
// request can be aimed at someone else's things. Also the row snapshot that proves a refusal wrote nothing.
import { AppModule as RunnerModule, BENCHMARK_RUNNER, loadBenchmarkRunnerConfig } from '@vantage/apps/benchmark-runner';
import { createLabSimulator, LabSimulator } from '@vantage/apps/lab-simulator';
import { AppModule as NotifierModule, loadNotifierConfig, NOTIFIER } from '@vantage/apps/notifier';
import { AppModule as VulnModule, loadVulnClearinghouseConfig, VULN_CLEARINGHOUSE } from '@vantage/apps/vuln-clearinghouse';
import { AppModule as SchedulerModule, loadWindowSchedulerConfig, WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { TestEnvironment, waitFor } from '@vantage/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Gateway, LOOPBACK_LABS, submissionBody } from '../../apps/intake/test/gateway-fixture';

const DAY = 24 * 3600 * 1000;

/** How long the rows must stay the same before the system counts as settled. */
const SETTLED_FOR_MS = 250;

export const ROLES = ['none', 'revoked', 'labA', 'labB', 'agencyGranted', 'agencyNoGrant', 'agencyLow', 'analyst', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface Org {
  id: string;
  key: string;
  keyId: string;
}

/** What labA, the owner of most resources here, has; every other role is "someone else" to it. */
export interface Resources {
  /** labA's submission: granted to agencyGranted and agencyLow, window open, model served by the simulator. */
  submission: string;
  /** Another of labA's submissions (every agency in the programme granted), free for the fuzz to change. */
  submissionA2: string;
  /** labB's submission (someone else's, for labA). */
  submissionB: string;
  /** A case reported by labA: need-to-know is labA and the clearinghouse. */
  caseA: string;
  findingA: string;
  /** A case reported by agencyGranted. */
  caseB: string;
  vendor: string;
  /** labA's and agencyGranted's webhook subscriptions. */
  subscriptionA: string;
  subscriptionB: string;
  /** A second key of labA, so that revoking it does not lock labA out. */
  spareKeyId: string;
}

/** Strings that must never reach anyone not entitled to them (checked in every answer). */
export interface Markers {
  endpointApiKey: string;
  subscriptionSecretA: string;
  proofOfConcept: string;
  /** labA's model name: labA, operators and the granted agencies may see it. */
  modelA: string;
  /** Title of caseA: labA and the clearinghouse only, until it is disclosed. */
  caseTitleA: string;
  /** Name of a suite classified `secret`: operators and agencies cleared for secret only. */
  secretSuite: string;
}

export interface RawRequest {
  method: string;
  path: string;
  role?: Role;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

export class HostileWorld {
  readonly orgs = {} as Record<Exclude<Role, 'none'>, Org>;
  resources!: Resources;
  markers!: Markers;
  private sim?: LabSimulator;
  private snapshotSql?: string;
  /** One connection for the many snapshots (a connection per query would cost more than the query). */
  private db?: Client;

  private constructor(
    readonly env: TestEnvironment,
    readonly gw: Gateway,
  ) {}

  /** `gateway`: more settings of the gateway (e.g. a short heartbeat for tests that read live streams). */
  static async start(options: { gateway?: Record<string, unknown> } = {}): Promise<HostileWorld> {
    const env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    for (const entry of [WINDOW_SCHEDULER, VULN_CLEARINGHOUSE, NOTIFIER, BENCHMARK_RUNNER]) await env.migrate(entry);
    const gw = await Gateway.start(env, { ...LOOPBACK_LABS, RATE_LIMIT_PER_MINUTE: 1_000_000, RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: 1_000_000, RPC_TIMEOUT_MS: 10_000, ...options.gateway });
    await env.start(WINDOW_SCHEDULER, { loadConfig: (e) => loadWindowSchedulerConfig(e), module: (c, o) => SchedulerModule.forRoot(c, o), overrides: { TIMER_POLL_MS: 50 } });
    await env.start(VULN_CLEARINGHOUSE, { loadConfig: (e) => loadVulnClearinghouseConfig(e), module: (c, o) => VulnModule.forRoot(c, o), overrides: { TIMER_POLL_MS: 50 } });
    await env.start(NOTIFIER, {
      loadConfig: (e) => loadNotifierConfig(e), module: (c, o) => NotifierModule.forRoot(c, o), overrides: { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: 50 },
    });
    await env.start(BENCHMARK_RUNNER, { loadConfig: (e) => loadBenchmarkRunnerConfig(e), module: (c, o) => RunnerModule.forRoot(c, o), overrides: {
      // A run against an endpoint that does not answer (most fuzzed submissions) gives up quickly.
      ...LOOPBACK_LABS, RUN_POLL_MS: 50, MODEL_RETRY_BASE_MS: 5, MODEL_RETRY_MAX_MS: 20, MODEL_MAX_ATTEMPTS: 2, MODEL_TIMEOUT_MS: 2000,
    } });
    const world = new HostileWorld(env, gw);
    try {
      await world.populate();
    } catch (e) {
      await world.dispose();
      throw e;
    }
    return world;
  }

  private async populate(): Promise<void> {
    const tag = randomBytes(4).toString('hex');
    const gw = this.gw;
    const [op] = await this.env.query("SELECT k.id AS key_id, k.org_id FROM intake.api_keys k JOIN intake.organisations o ON o.id = k.org_id WHERE o.kind = 'operator'");
    this.orgs.operator = { id: op.org_id, key: gw.operatorKey, keyId: op.key_id };
    this.orgs.labA = await gw.organisation('lab', 'Lab A');
    this.orgs.labB = await gw.organisation('lab', 'Lab B');
    this.orgs.agencyGranted = await gw.organisation('agency', 'Granted Agency', 'secret');
    this.orgs.agencyNoGrant = await gw.organisation('agency', 'Agency Without Grant', 'secret');
    this.orgs.agencyLow = await gw.organisation('agency', 'Low Clearance Agency', 'unclassified');
    this.orgs.analyst = await gw.organisation('clearinghouse', 'Clearinghouse Analysts');
    this.orgs.revoked = await gw.organisation('lab', 'Revoked Lab');
    await this.expect(201, 'POST', `/v1/orgs/${this.orgs.labA.id}/keys`, 'operator');
    const spare = await this.expect(201, 'POST', `/v1/orgs/${this.orgs.labA.id}/keys`, 'operator');
    await this.expect(204, 'DELETE', `/v1/orgs/${this.orgs.revoked.id}/keys/${this.orgs.revoked.keyId}`, 'operator');

    const endpointApiKey = `sk-hostile-${tag}-never-shown`;
    const modelA = `lab-a-model-${tag}`;
    this.sim = createLabSimulator({ apiKey: endpointApiKey, models: [modelA] });
    const { url } = await this.sim.listen();
    const submission = await this.expect(201, 'POST', '/v1/submissions', 'labA', submissionBody({
      model: { name: modelA, version: '1' },
      plannedReleaseAt: new Date(this.env.clock.nowMs() + 10 * DAY).toISOString(),
      earliestAccessAt: undefined,
      endpoint: { baseUrl: `${url}/v1`, modelId: modelA, apiKey: endpointApiKey },
      declaredTrainingFlop: 1e24,
      agencies: [this.orgs.agencyGranted.id, this.orgs.agencyLow.id],
    }));
    const submissionA2 = await gw.submit(this.orgs.labA.key, this.env.clock.now(), 10);
    const submissionB = await gw.submit(this.orgs.labB.key, this.env.clock.now(), 10);
    // Brokered access needs the gateway to know the window is open and the grants are active.
    await waitFor(async () => {
      const rows = await this.env.query("SELECT 1 FROM intake.access_grants WHERE submission_id = $1 AND state = 'active'", [submission.id]);
      return rows.length === 2;
    }, { what: "labA's window open with two grants at the gateway" });

    const proofOfConcept = `poc-${tag}-keep-sealed`;
    const caseTitleA = `Case of lab A ${tag}`;
    const findingA = await this.expect(201, 'POST', '/v1/findings', 'labA', finding(caseTitleA, proofOfConcept, `a_${tag}`));
    const findingB = await this.expect(201, 'POST', '/v1/findings', 'agencyGranted', finding(`Case of the granted agency ${tag}`, proofOfConcept, `b_${tag}`));
    const vendor = await this.expect(201, 'POST', '/v1/vendors', 'analyst', { name: `Vendor ${tag}`, purlPrefixes: [`pkg:npm/vendor-${tag}`], contactUrl: 'https://vendor.example/security' });
    const hook = 'http://127.0.0.1:9/hook';
    const subA = await this.expect(201, 'POST', '/v1/subscriptions', 'labA', { url: hook, types: ['gov.vantage.window.*'] });
    const subB = await this.expect(201, 'POST', '/v1/subscriptions', 'agencyGranted', { url: hook, types: ['gov.vantage.window.*'] });

    this.resources = {
      submission: submission.id, submissionA2, submissionB, caseA: findingA.caseId, findingA: findingA.findingId, caseB: findingB.caseId,
      vendor: vendor.id, subscriptionA: subA.id, subscriptionB: subB.id, spareKeyId: spare.id,
    };
    // Made after the windows above opened, so that no run of it is under way.
    const secretSuite = `secret-suite-${tag}`;
    await this.expect(201, 'POST', '/v1/suites', 'operator', {
      name: secretSuite, version: '1', classification: 'secret', scorer: 'exact', items: [{ id: 'q1', input: 'What is 2 + 2?', target: '4' }],
    });
    this.markers = { endpointApiKey, subscriptionSecretA: subA.secret, proofOfConcept, modelA, caseTitleA, secretSuite };
    await this.quiet();
  }

  /**
   * Ids a role may aim requests at: every organisation's and every resource's, except those whose change would
   * move what the leak check expects (labA's main submission, caseA for analysts) or lock a role out (keys).
   */
  idsFor(role: Role): string[] {
    const r = this.resources;
    const orgIds = Object.values(this.orgs).map((o) => o.id);
    const all = [...orgIds, r.submission, r.submissionA2, r.submissionB, r.caseA, r.findingA, r.caseB, r.vendor, r.subscriptionA, r.subscriptionB, r.spareKeyId];
    const excluded = role === 'labA' ? [r.submission] : role === 'analyst' ? [r.caseA] : [];
    return all.filter((id) => !excluded.includes(id));
  }

  /** Marker strings (secrets, other tenants' ids and titles) that must not appear in an answer to `role`. */
  forbiddenFor(role: Role): string[] {
    const m = this.markers;
    const r = this.resources;
    const out = [m.endpointApiKey, m.proofOfConcept, m.subscriptionSecretA];
    if (!['labA', 'operator', 'agencyGranted', 'agencyLow'].includes(role)) out.push(m.modelA, r.submission);
    if (!['labA', 'analyst'].includes(role)) out.push(m.caseTitleA, r.caseA);
    if (role !== 'labA') out.push(r.subscriptionA);
    if (!['operator', 'agencyGranted', 'agencyNoGrant'].includes(role)) out.push(m.secretSuite);
    return out;
  }

  keyOf(role: Role): string | undefined {
    return role === 'none' ? undefined : this.orgs[role].key;
  }

  async call(role: Role, method: string, path: string, body?: unknown) {
    return this.gw.call(method, path, { key: this.keyOf(role), ...(body !== undefined ? { body } : {}) });
  }

  /**
   * One raw request: any body bytes and headers. A stream (text/event-stream) is answered by its status and
   * headers, then let go.
   */
  async send(req: RawRequest): Promise<RawAnswer> {
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    const key = req.role ? this.keyOf(req.role) : undefined;
    if (key) headers.authorization = `Bearer ${key}`;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error('no answer in 20 s')), 20_000);
    try {
      const res = await fetch(`${this.gw.url}${req.path}`, { method: req.method, headers, body: req.body, signal: abort.signal });
      const contentType = res.headers.get('content-type') ?? '';
      if (contentType.startsWith('text/event-stream')) {
        abort.abort();
        return { status: res.status, contentType, text: '', body: undefined };
      }
      const text = await res.text();
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, contentType, text, body };
    } finally {
      clearTimeout(timer);
    }
  }

  private async expect(status: number, method: string, path: string, role: Role, body?: unknown): Promise<any> {
    const answer = await this.call(role, method, path, body);
    if (answer.status !== status) throw new Error(`${method} ${path} as ${role}: expected ${status}, got ${answer.status} ${answer.text}`);
    return answer.body;
  }

  private async connection(): Promise<Client> {
    if (!this.db) {
      const db = new Client({ connectionString: this.env.databaseAdminUrl });
      await db.connect();
      this.db = db;
    }
    return this.db;
  }

  /** Every service table (not the migration bookkeeping), with a row count and an order-free checksum of its rows. */
  async snapshot(): Promise<Record<string, string>> {
    const db = await this.connection();
    if (!this.snapshotSql) {
      const tables: { t: string }[] = (
        await db.query(
          `SELECT format('%I.%I', table_schema, table_name) AS t FROM information_schema.tables
           WHERE table_schema IN ('intake', 'window', 'bench', 'vuln', 'notify') AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%migrations%'
           ORDER BY 1`,
        )
      ).rows;
      this.snapshotSql = tables
        .map(({ t }) => `SELECT '${t}' AS t, count(*) || ':' || coalesce(sum(hashtext(x::text)::bigint), 0) AS v FROM ${t} x`)
        .join(' UNION ALL ');
    }
    const rows: { t: string; v: string }[] = (await db.query(this.snapshotSql)).rows;
    return Object.fromEntries(rows.map((r) => [r.t, r.v]));
  }

  /**
   * Waits until the system has finished reacting to what was accepted: every outbox published, every consumer
   * of this environment's streams caught up, and the tables unchanged between two looks.
   */
  async quiet(): Promise<void> {
    const nc = await this.env.nats();
    const jsm = await nc.jetstreamManager();
    const prefix = this.env.streamName('x').slice(0, -1);
    let previous = '';
    let unchangedSince = 0;
    await waitFor(async () => {
      const unsent = await (await this.connection()).query(
        ['intake', 'window', 'bench', 'vuln', 'notify'].map((s) => `SELECT 1 FROM "${s}".outbox WHERE sent_at IS NULL`).join(' UNION ALL ') + ' LIMIT 1',
      );
      if (unsent.rows.length) return false;
      for await (const stream of jsm.streams.names()) {
        if (!stream.startsWith(prefix)) continue;
        for await (const c of jsm.consumers.list(stream)) if (c.num_pending > 0 || c.num_ack_pending > 0) return false;
      }
      // Settled when the rows stay the same for a while: work outside the bus (a webhook attempt on a lane, its
      // batched record) can take longer than one poll to show, more so on a loaded machine.
      const now = JSON.stringify(await this.snapshot());
      if (now !== previous) {
        previous = now;
        unchangedSince = Date.now();
        return false;
      }
      return Date.now() - unchangedSince >= SETTLED_FOR_MS;
    }, { what: 'the system to settle', timeoutMs: 20_000, intervalMs: 30 });
  }

  async dispose(): Promise<void> {
    await this.db?.end().catch(() => undefined);
    await this.sim?.close();
    await this.env.dispose();
  }
}

export function finding(title: string, proofOfConcept: string, fn: string) {
  return {
    title,
    description: 'A long header overflows a fixed buffer.',
    affected: [{ purl: `pkg:npm/libfoo-${fn}`, versions: { introduced: '1.2.0', fixed: '1.4.1' } }],
    cwe: 'CWE-122',
    cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    location: { file: 'src/parse.c', function: fn },
    proofOfConcept,
    exploitedInWild: false,
  };
}
