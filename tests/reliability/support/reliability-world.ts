// The fault tests' world: a private Postgres and private NATS, the five services as separate processes (one or
// more replicas each), webhook receivers subscribed for the organisations, a steady load of submissions and
// findings through the gateway from clients that retry as real ones do, faults injected at seeded moments, and
// afterwards the invariants the system promises, checked with bounded waits, and a summary.
import { INTAKE } from '@vantage/apps/intake';
import { WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { BENCHMARK_RUNNER } from '@vantage/apps/benchmark-runner';
import { VULN_CLEARINGHOUSE } from '@vantage/apps/vuln-clearinghouse';
import { NOTIFIER } from '@vantage/apps/notifier';
import { Audience, EventEnvelope } from '@vantage/contracts';
import { issueApiKey } from '@vantage/crypto';
import { deadLetterStreamName } from '@vantage/messaging';
import { schemaOf, SERVICE_NAMES, ServiceName } from '@vantage/persistence';
import { NatsServers, readEvents, readStream, Receiver, ServiceProcess, TestEnvironment, waitFor } from '@vantage/testing';
import { PrivatePostgres } from './private-postgres';

const DAY = 24 * 3600 * 1000;
const DOMAINS = ['intake', 'window', 'bench', 'vuln', 'notify'];

/** Load sizes and the seed: modest defaults, larger from the environment. */
export function loadSettings(): Load & { seed: number } {
  const int = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
    return n;
  };
  return {
    submissions: int('VANTAGE_REL_SUBMISSIONS', 150),
    findings: int('VANTAGE_REL_FINDINGS', 150),
    concurrency: Math.max(1, int('VANTAGE_REL_CONCURRENCY', 8)),
    rate: Math.max(1, int('VANTAGE_REL_RATE', 10)),
    seed: int('VANTAGE_REL_SEED', Math.floor(Math.random() * 1_000_000)),
  };
}

export function shuffle<T>(items: T[], rng: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

interface Org {
  id: string;
  key: string;
  name: string;
  kind: 'lab' | 'agency' | 'clearinghouse' | 'operator';
  clearance?: 'unclassified' | 'cui' | 'secret' | 'top-secret';
  receiver?: Receiver;
  subscribedAt?: string;
}

interface Answer {
  status: number;
  body: any;
}

/** A fault: what it does, and a label for the log and summary. */
export interface Fault {
  label: string;
  run(world: ReliabilityWorld, rng: () => number): Promise<void>;
}

export interface Load {
  submissions: number;
  findings: number;
  concurrency: number;
  /** Calls started per second. */
  rate: number;
}

export interface LoadResult {
  submissionsMade: number;
  findingsMade: number;
  /** Logical submission → the id it was answered with. */
  submissions: Map<number, string>;
  findings: Map<number, { findingId: string; caseId: string; bug: number }>;
  failures: string[];
}

export interface WorldOptions {
  name: string;
  replicas: number;
  natsNodes: 1 | 3;
}

/** Events that happen once per entity: a second one with the same key is an effect that happened twice. */
const ONCE_PER: Record<string, (e: EventEnvelope<any>) => string> = {
  'gov.vantage.intake.organisation.created.v1': (e) => e.subject,
  'gov.vantage.intake.submission.received.v1': (e) => e.subject,
  'gov.vantage.window.window.scheduled.v1': (e) => e.data.submissionId,
  'gov.vantage.window.window.opened.v1': (e) => e.data.submissionId,
  'gov.vantage.window.grant.issued.v1': (e) => `${e.data.submissionId}/${e.data.agencyId}`,
  'gov.vantage.vuln.case.opened.v1': (e) => e.data.findingId,
  'gov.vantage.vuln.case.duplicate-found.v1': (e) => e.data.findingId,
  // Once per audience: an agency whose grant the runner learns after the decision gets a copy of its own.
  'gov.vantage.bench.model.classified.v2': (e) => `${e.subject} ${e.audience}`,
};

export class ReliabilityWorld {
  pg!: PrivatePostgres;
  nats!: NatsServers;
  env!: TestEnvironment;
  readonly services = new Map<ServiceName, ServiceProcess[]>();
  readonly operatorKey = issueApiKey('rel-operator').key;
  readonly orgs: Org[] = [];
  private nextGateway = 0;
  readonly stats = { requests: 0, retries: 0, serviceRestarts: 0, faults: [] as string[] };
  readonly log: string[] = [];

  private constructor(readonly options: WorldOptions) {}

  static async start(options: WorldOptions): Promise<ReliabilityWorld> {
    const world = new ReliabilityWorld(options);
    try {
      await world.boot();
    } catch (e) {
      await world.dispose();
      throw e;
    }
    return world;
  }

  note(line: string): void {
    const stamped = `[${this.options.name}] ${line}`;
    this.log.push(stamped);
    process.stdout.write(`${stamped}\n`);
  }

  private async boot(): Promise<void> {
    this.pg = await PrivatePostgres.start();
    // The environment's own NATS (one server or a three-node cluster), with a NATS user per service as deployed.
    this.env = await TestEnvironment.create(new Date().toISOString(), {
      adminUrl: this.pg.adminUrl,
      nats: { nodes: this.options.natsNodes },
      streams: { replicas: this.options.natsNodes },
    });
    this.nats = this.env.natsServers;
    this.note(`private Postgres on ${this.pg.port}, NATS ${this.nats.url}`);
    for (const entry of [INTAKE, WINDOW_SCHEDULER, BENCHMARK_RUNNER, VULN_CLEARINGHOUSE, NOTIFIER]) await this.env.migrate(entry);
    // The gateway first: its streams exist before the others start, so the others do not race to create them.
    await this.startService('intake');
    await Promise.all(SERVICE_NAMES.filter((s) => s !== 'intake').map((s) => this.startService(s)));
    for (let r = 1; r < this.options.replicas; r++) await Promise.all(SERVICE_NAMES.map((s) => this.startService(s)));
    this.note(`${SERVICE_NAMES.length} services × ${this.options.replicas} ready`);
  }

  private settings(service: ServiceName): Record<string, unknown> {
    const common = {
      LOG_LEVEL: process.env.VANTAGE_REL_LOG_LEVEL || 'warn',
      DATABASE_POOL_SIZE: 5,
      NATS_STREAM_REPLICAS: this.options.natsNodes,
      // A killed consumer's unacknowledged events come back to a live one this soon.
      VANTAGE_ACK_WAIT_MS: 5000,
      // Production's redelivery pace (the harness's default is faster): an event that arrives before the one it
      // builds on (a redelivery reorders them) is retried for seconds, as in production, not for milliseconds.
      VANTAGE_RETRY_BASE_MS: 500,
      TIMER_POLL_MS: 200,
    };
    const own: Partial<Record<ServiceName, Record<string, unknown>>> = {
      // The lab endpoints (and webhook receivers) of the load are on loopback, over plain http.
      intake: { VANTAGE_BOOTSTRAP_OPERATOR_KEY: this.operatorKey, RATE_LIMIT_PER_MINUTE: 1_000_000, OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' },
      'benchmark-runner': { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' },
      // A receiver here is the test process, on a machine that runs ten services and another test file at once: an
      // answer can take seconds. A timeout is a failed attempt, and the third in a row waits 5 minutes (the Svix
      // schedule) with every later event about the same entity behind it; the drain would time out (as it did in
      // CI with 2 s). A slow receiver is not the fault under test: allow 10 s. A killed replica's lanes still lapse
      // within 2 × 10 s.
      notifier: { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost', WEBHOOK_POLL_MS: 100, WEBHOOK_TIMEOUT_MS: 10_000, WEBHOOK_CLAIM_LEASE_MS: 3000 },
    };
    return { ...common, ...own[service] };
  }

  private async startService(service: ServiceName): Promise<void> {
    const p = await ServiceProcess.start(this.env, service, this.settings(service));
    this.services.set(service, [...(this.services.get(service) ?? []), p]);
  }

  /** Restarts still starting up (faults that do not wait for theirs); the injector waits for them at the end. */
  readonly restarting: Promise<void>[] = [];

  /**
   * kill -9 a service's replica, leave it down for `downMs`, start it again and wait until it is ready; with
   * `background`, the next fault may strike while it is still starting.
   */
  async killAndRestart(service: ServiceName, replica: number, downMs: number, background = false): Promise<void> {
    const p = this.services.get(service)![replica];
    await p.kill();
    await new Promise((r) => setTimeout(r, downMs));
    const restart = p.launch().then(() => {
      this.stats.serviceRestarts++;
    });
    if (background) this.restarting.push(restart);
    else await restart;
  }

  get gateways(): string[] {
    return this.services.get('intake')!.map((p) => p.url);
  }

  // ---- the client -------------------------------------------------------------------------------------------

  /**
   * One call as a careful client makes it: on a connection error, 429, 502, 503 or 504 it tries again (the next
   * gateway replica, backing off), with the same Idempotency-Key, until `deadlineMs` passes. Other answers are final.
   */
  async call(method: string, path: string, key: string, body?: unknown, idempotencyKey?: string, deadlineMs = 120_000): Promise<Answer> {
    const deadline = Date.now() + deadlineMs;
    let attempt = 0;
    let gateway = this.nextGateway++;
    for (;;) {
      const base = this.gateways[gateway % this.gateways.length];
      let retryable: string;
      this.stats.requests++;
      try {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(20_000),
        });
        const text = await res.text();
        // A 500 is final: it says the service failed, not that it was unavailable, and the test counts it as such.
        if (![429, 502, 503, 504].includes(res.status)) return { status: res.status, body: text ? JSON.parse(text) : undefined };
        retryable = `${res.status} ${text.slice(0, 200)}`;
      } catch (e) {
        retryable = String((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message);
      }
      if (Date.now() > deadline) throw new Error(`${method} ${path} kept failing for ${deadlineMs} ms; last: ${retryable}`);
      attempt++;
      this.stats.retries++;
      gateway++;
      await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }

  // ---- organisations and subscriptions ----------------------------------------------------------------------

  async enrol(name: string, kind: Org['kind'], clearance?: Org['clearance']): Promise<Org> {
    const created = await this.call('POST', '/v1/orgs', this.operatorKey, { name, kind, ...(clearance ? { clearance } : {}) });
    if (created.status !== 201) throw new Error(`enrolling ${name}: ${created.status} ${JSON.stringify(created.body)}`);
    const key = (await this.call('POST', `/v1/orgs/${created.body.id}/keys`, this.operatorKey)).body.key as string;
    const org: Org = { id: created.body.id, key, name, kind, clearance };
    this.orgs.push(org);
    if (kind === 'lab' || kind === 'agency') {
      org.receiver = await Receiver.start(() => ({ status: 204 }));
      // The notifier learns of the organisation from its event; until then it may not subscribe.
      const sub = await waitFor(async () => {
        const r = await this.call('POST', '/v1/subscriptions', key, { url: org.receiver!.url, types: ['gov.vantage.*'] });
        return r.status === 201 ? r : undefined;
      }, { what: `${name}'s subscription`, timeoutMs: 30_000 });
      org.subscribedAt = sub.body.createdAt;
    }
    return org;
  }

  // ---- the load ---------------------------------------------------------------------------------------------

  /**
   * A steady load: calls start at `rate` per second from `concurrency` clients, submissions and findings mixed
   * at random (every bug is reported twice, by two organisations), at least `submissions` and `findings` of them
   * and for as long as `keepGoing` says. `onProgress(started)` is told each start. Returns what each logical
   * call was answered.
   */
  async drive(load: Load, rng: () => number, keepGoing: () => boolean = () => false, onProgress: (started: number) => void = () => undefined): Promise<LoadResult> {
    const labs = this.orgs.filter((o) => o.kind === 'lab');
    const agencies = this.orgs.filter((o) => o.kind === 'agency');
    const reporters = [...agencies, ...labs];
    const result: LoadResult = { submissionsMade: 0, findingsMade: 0, submissions: new Map(), findings: new Map(), failures: [] };
    const plannedReleaseAt = new Date(Date.now() + 10 * DAY).toISOString();
    const started = Date.now();
    let issued = 0;

    const submission = async (i: number) => {
      const lab = labs[i % labs.length];
      const r = await this.call('POST', '/v1/submissions', lab.key, {
        model: { name: `rel-model-${i}`, version: '1' },
        plannedReleaseAt,
        endpoint: { baseUrl: 'http://127.0.0.1:9/v1', modelId: `m-${i}`, apiKey: `sk-rel-${i}` },
        declaredTrainingFlop: i % 3 === 0 ? 2e26 : 1e24,
        agencies: i % 2 === 0 ? agencies.map((a) => a.id) : [agencies[i % agencies.length].id],
      }, `rel-submission-${i}`);
      if (r.status === 201) result.submissions.set(i, r.body.id);
      else result.failures.push(`submission ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    };
    const finding = async (i: number) => {
      // Findings 2k and 2k+1 are the same bug, from two different reporters: one case between them.
      const bug = Math.floor(i / 2);
      const reporter = reporters[i % reporters.length];
      const r = await this.call('POST', '/v1/findings', reporter.key, {
        title: `Overflow ${bug} in relfoo`,
        description: 'A long header overflows a fixed buffer.',
        affected: [{ purl: `pkg:npm/relfoo-${bug % 10}`, versions: { introduced: '1.0.0', fixed: '1.0.1' } }],
        cwe: 'CWE-122',
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        location: { file: `src/m${bug}.c`, function: 'parse' },
      }, `rel-finding-${i}`);
      if (r.status === 201) result.findings.set(i, { findingId: r.body.findingId, caseId: r.body.caseId, bug });
      else result.failures.push(`finding ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    };
    const nextCall = (): (() => Promise<void>) | undefined => {
      const needSubmissions = result.submissionsMade < load.submissions;
      const needFindings = result.findingsMade < load.findings;
      if (!needSubmissions && !needFindings && !keepGoing()) return undefined;
      const asSubmission = needSubmissions && needFindings ? rng() < 0.5 : needSubmissions || (!needFindings && rng() < 0.5);
      if (asSubmission) {
        const i = result.submissionsMade++;
        return () => submission(i);
      }
      const i = result.findingsMade++;
      return () => finding(i);
    };
    const worker = async () => {
      for (;;) {
        const call = nextCall();
        if (!call) return;
        // Paced: the n-th call starts no earlier than n / rate seconds in, whatever the answers' speed.
        const slot = started + (issued++ * 1000) / load.rate;
        if (slot > Date.now()) await new Promise((r) => setTimeout(r, slot - Date.now()));
        onProgress(issued);
        try {
          await call();
        } catch (e) {
          result.failures.push((e as Error).message);
        }
      }
    };
    await Promise.all(Array.from({ length: load.concurrency }, worker));
    return result;
  }

  /** A scenario: the load with its faults, then the checks; prints the summary (and the services' output on a problem). */
  async runScenario(load: Load & { seed: number }, faults: Fault[], rng: () => number) {
    this.note(`seed ${load.seed} (VANTAGE_REL_SEED=${load.seed} repeats this run)`);
    const result = await this.driveWithFaults(load, faults, rng);
    const checked = await this.check(result);
    console.log(this.summary(checked.figures, load.seed));
    if (checked.problems.length) console.log(this.serviceOutput());
    return checked;
  }

  /**
   * Runs the load and, alongside it, the faults one after the other, each when the load has reached a seeded
   * point of its planned size (spread over 10–90% of it). The load goes on until the last fault has been
   * recovered from, so every fault strikes, and is recovered from, under load.
   */
  async driveWithFaults(load: Load, faults: Fault[], rng: () => number): Promise<LoadResult> {
    const planned = load.submissions + load.findings;
    const points = faults.map((_, i) => Math.round(planned * (0.1 + (0.8 * (i + 0.2 + 0.6 * rng())) / faults.length)));
    this.note(`faults at ${faults.map((f, i) => `${f.label} @ call ${points[i]}`).join(', ')}`);
    let issued = 0;
    let reached: (() => void) | undefined;
    let faulting = true;
    const started = Date.now();
    const injector = (async () => {
      try {
        for (let i = 0; i < faults.length; i++) {
          while (issued < points[i]) await new Promise<void>((r) => (reached = r));
          const t = Date.now();
          const at = issued;
          await faults[i].run(this, rng);
          this.stats.faults.push(faults[i].label);
          this.note(`${faults[i].label} at call ${at}, recovered after ${Date.now() - t} ms (call ${issued} by then)`);
        }
        await Promise.all(this.restarting);
      } finally {
        faulting = false;
      }
    })();
    const result = await this.drive(load, rng, () => faulting, (n) => {
      issued = n;
      reached?.();
    });
    await injector;
    this.note(
      `load done in ${Date.now() - started} ms: ${result.submissionsMade} submissions, ${result.findingsMade} findings; ` +
        `${this.stats.requests} requests, ${this.stats.retries} retried`,
    );
    return result;
  }

  // ---- invariants -------------------------------------------------------------------------------------------

  /** Everything published is out of every outbox, every consumer has caught up, every webhook is sent. */
  async waitUntilQuiet(timeoutMs = 120_000): Promise<void> {
    await waitFor(async () => {
      for (const s of SERVICE_NAMES) {
        const [{ n }] = await this.env.query(`SELECT count(*)::int AS n FROM "${schemaOf(s)}".outbox WHERE sent_at IS NULL`);
        if (n > 0) throw new Error(`${n} unsent outbox rows in ${schemaOf(s)}`);
      }
      const jsm = await (await this.env.nats()).jetstreamManager();
      for (const domain of DOMAINS) {
        for await (const c of jsm.consumers.list(this.env.streamName(domain))) {
          if (c.num_pending + c.num_ack_pending > 0) throw new Error(`consumer ${c.name} has ${c.num_pending} pending, ${c.num_ack_pending} unacknowledged`);
        }
      }
      const [{ n }] = await this.env.query(`SELECT count(*)::int AS n FROM notify.deliveries WHERE status = 'pending'`);
      if (n > 0) throw new Error(`${n} webhook deliveries still pending`);
      return true;
    }, { what: 'outboxes, consumers and webhook deliveries to drain', timeoutMs, intervalMs: 500 });
  }

  async allEvents(): Promise<EventEnvelope<any>[]> {
    const nc = await this.env.nats();
    const all: EventEnvelope<any>[] = [];
    for (const domain of DOMAINS) all.push(...(await readEvents(nc, this.env.streamName(domain))));
    return all;
  }

  async deadLetters(): Promise<string[]> {
    const nc = await this.env.nats();
    const stream = deadLetterStreamName(this.env.prefix);
    return (await readStream(nc, stream)).map((m) => `${m.subject} ${m.headers['Vantage-Dlq-Reason']}: ${m.headers['Vantage-Dlq-Error']}`);
  }

  /**
   * Checks every invariant and returns the figures. Each check that fails is listed in `problems`; the test
   * asserts that list is empty, so one run shows every broken promise at once.
   */
  async check(result: LoadResult) {
    const made = { submissions: result.submissionsMade, findings: result.findingsMade };
    const problems: string[] = [...result.failures.slice(0, 20)];
    if (result.failures.length > 20) problems.push(`… and ${result.failures.length - 20} more failed calls`);
    await this.waitUntilQuiet().catch(async (e) => {
      problems.push((e as Error).message);
      // What the database is doing then tells a lock wait from a service that stopped asking.
      const busy = await this.env.query(
        `SELECT usename, state, wait_event_type, wait_event, now() - xact_start AS in_transaction, left(query, 120) AS query
         FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()`,
      ).catch(() => []);
      if (busy.length) problems.push(`busy database sessions then: ${JSON.stringify(busy)}`);
      // Webhooks still pending: after how many attempts, when due, and the last attempt's error.
      const pending = await this.env.query(
        `SELECT d.attempt_count, count(*)::int AS n, min(d.next_attempt_at) AS next_due, max(s.lane_until) AS lane_until, max(a.error) AS last_error,
           max(a.status_code) AS last_status
         FROM notify.deliveries d JOIN notify.subscriptions s ON s.id = d.subscription_id
         LEFT JOIN LATERAL (SELECT error, status_code FROM notify.delivery_attempts a WHERE a.delivery_id = d.id ORDER BY a.attempt DESC LIMIT 1) a ON true
         WHERE d.status = 'pending' GROUP BY d.attempt_count`,
      ).catch(() => []);
      if (pending.length) problems.push(`pending webhook deliveries then (now ${new Date().toISOString()}): ${JSON.stringify(pending)}`);
    });

    // Every submission is stored once and has exactly one window.
    const submissionIds = [...result.submissions.values()];
    const stored = await this.env.query<{ n: number }>('SELECT count(*)::int AS n FROM intake.submissions');
    if (stored[0].n !== made.submissions) problems.push(`intake holds ${stored[0].n} submissions for ${made.submissions} made`);
    if (new Set(submissionIds).size !== submissionIds.length) problems.push('two logical submissions were answered with the same id');
    const windows = await this.env.query<{ submission_id: string; n: number }>(
      'SELECT submission_id, count(*)::int AS n FROM "window".windows GROUP BY submission_id',
    );
    const windowsOf = new Map(windows.map((w) => [w.submission_id, w.n]));
    const withoutWindow = submissionIds.filter((id) => windowsOf.get(id) !== 1);
    if (withoutWindow.length) problems.push(`${withoutWindow.length} submissions have no window or more than one (e.g. ${withoutWindow[0]})`);
    if (windows.length !== submissionIds.length) problems.push(`${windows.length} windows for ${submissionIds.length} submissions`);

    // Every finding is stored once; the two reports of each bug made one case.
    const findings = await this.env.query<{ n: number; cases: number }>('SELECT count(*)::int AS n, count(DISTINCT case_id)::int AS cases FROM vuln.findings');
    if (findings[0].n !== made.findings) problems.push(`the clearinghouse holds ${findings[0].n} findings for ${made.findings} reported`);
    const bugs = new Set([...result.findings.values()].map((f) => f.bug)).size;
    if (findings[0].cases !== bugs) problems.push(`${findings[0].cases} cases for ${bugs} distinct bugs`);

    // The streams: each event once, and no once-per-entity event twice.
    const events = await this.allEvents();
    const ids = new Set<string>();
    let duplicatedEvents = 0;
    for (const e of events) {
      if (ids.has(e.id)) duplicatedEvents++;
      ids.add(e.id);
    }
    const effects = new Map<string, number>();
    for (const e of events) {
      const key = ONCE_PER[e.type]?.(e);
      if (key !== undefined) effects.set(`${e.type} ${key}`, (effects.get(`${e.type} ${key}`) ?? 0) + 1);
    }
    const twice = [...effects].filter(([, n]) => n > 1);
    if (duplicatedEvents) problems.push(`${duplicatedEvents} events stand twice in the streams`);
    if (twice.length) problems.push(`${twice.length} effects happened more than once, e.g. ${twice.slice(0, 3).map(([k, n]) => `${k} ×${n}`).join('; ')}`);
    const openedWindows = events.filter((e) => e.type === 'gov.vantage.window.window.opened.v1').length;
    if (openedWindows !== made.submissions) problems.push(`${openedWindows} window.opened events for ${made.submissions} submissions`);

    // Webhooks: every entitled event reached its subscriber; nothing else did; one event, one id.
    let entitled = 0;
    let delivered = 0;
    let redeliveries = 0;
    let notEntitled = 0;
    const subscribers = this.orgs.filter((o) => o.receiver);
    const entitledEvents = (o: Org) => events.filter((e) => Audience.parse(e.audience).includes({ id: o.id, kind: o.kind, clearance: o.clearance }));
    await waitFor(() => subscribers.every((o) => {
      const got = new Set(o.receiver!.requests.map((r) => r.headers['webhook-id']));
      return entitledEvents(o).filter((e) => e.time >= o.subscribedAt!).every((e) => got.has(e.id));
    }), { what: 'every entitled webhook', timeoutMs: 60_000, intervalMs: 500 }).catch(() => undefined);
    for (const o of subscribers) {
      const ever = entitledEvents(o);
      const allowed = new Set(ever.map((e) => e.id));
      const expected = ever.filter((e) => e.time >= o.subscribedAt!);
      const requests = o.receiver!.requests;
      const got = new Map<string, string>();
      for (const r of requests) {
        const id = r.headers['webhook-id'];
        if (got.has(id)) {
          redeliveries++;
          if (got.get(id) !== r.body) problems.push(`${o.name} got webhook ${id} twice with different bodies`);
        }
        got.set(id, r.body);
      }
      const missing = expected.filter((e) => !got.has(e.id));
      entitled += expected.length;
      delivered += expected.length - missing.length;
      if (missing.length) problems.push(`${o.name} missed ${missing.length} of ${expected.length} entitled events, e.g. ${missing[0].type} ${missing[0].id}`);
      const foreign = [...got.keys()].filter((id) => !allowed.has(id));
      notEntitled += foreign.length;
      if (foreign.length) problems.push(`${o.name} got ${foreign.length} events it is not entitled to`);
    }

    // Dead letters: none.
    const dead = await this.deadLetters();
    if (dead.length) problems.push(`${dead.length} dead letters, e.g. ${dead.slice(0, 3).join(' | ')}`);

    const figures = {
      produced: events.length,
      entitled,
      delivered,
      lost: entitled - delivered,
      duplicatedEffects: twice.length + duplicatedEvents + Math.max(0, stored[0].n - made.submissions) + Math.max(0, findings[0].n - made.findings),
      submissions: made.submissions,
      findings: made.findings,
      webhookRedeliveries: redeliveries,
      notEntitled,
      deadLetters: dead.length,
    };
    return { problems, figures };
  }

  summary(figures: Awaited<ReturnType<ReliabilityWorld['check']>>['figures'], seed: number): string {
    const restarts = this.stats.serviceRestarts + this.pg.restarts + this.nats.restarts;
    return (
      `[${this.options.name}] seed ${seed}: ${figures.submissions} submissions, ${figures.findings} findings, ` +
      `${this.options.replicas} replica(s) per service, ${this.nats.size} NATS node(s). ` +
      `Events produced ${figures.produced}; entitled deliveries ${figures.entitled}, delivered ${figures.delivered}, lost ${figures.lost}; ` +
      `duplicated effects ${figures.duplicatedEffects}; webhook redeliveries of the same id ${figures.webhookRedeliveries}; ` +
      `dead letters ${figures.deadLetters}; faults ${this.stats.faults.length} (${this.stats.faults.join(', ') || 'none'}); ` +
      `restarts ${restarts} (services ${this.stats.serviceRestarts}, Postgres ${this.pg.restarts}, NATS ${this.nats.restarts}); ` +
      `client calls ${this.stats.requests}, retried ${this.stats.retries}.`
    );
  }

  /** The recent output of every service, for a failed run. */
  serviceOutput(lines = 15): string {
    const out: string[] = [];
    for (const [name, ps] of this.services) {
      ps.forEach((p, i) => out.push(`--- ${name}#${i} ---`, ...p.output.slice(-lines)));
    }
    return out.join('\n');
  }

  /** Stops everything this world started, whatever state it is in. */
  async dispose(): Promise<void> {
    for (const o of this.orgs) await o.receiver?.close().catch(() => undefined);
    await Promise.all([...this.services.values()].flat().map((p) => p.kill().catch(() => undefined)));
    // The environment's NATS servers and credentials go with it.
    await this.env?.dispose().catch(() => undefined);
    await this.pg?.dispose().catch(() => undefined);
  }
}

// ---- the faults ---------------------------------------------------------------------------------------------

const downtime = (rng: () => number) => 200 + Math.floor(rng() * 1300);

/**
 * kill -9 one replica (chosen by the seed) of a service, and start it again after a seeded pause. With
 * `background`, the next fault does not wait until it is ready (another service's replica may die meanwhile).
 */
export function killService(service: ServiceName, background = false): Fault {
  return {
    label: `kill -9 ${service}`,
    run: async (world, rng) => {
      const replica = Math.floor(rng() * world.services.get(service)!.length);
      await world.killAndRestart(service, replica, downtime(rng), background);
    },
  };
}

/** kill -9 the NATS server (or one node of the cluster) and start it again on the same store. */
export function restartNats(node = 0): Fault {
  return {
    label: `kill -9 NATS${node ? ` node ${node + 1}` : ''} and restart`,
    run: async (world, rng) => {
      await world.nats.kill(node);
      await new Promise((r) => setTimeout(r, downtime(rng)));
      await world.nats.restart(node);
      await world.nats.waitForJetStream();
    },
  };
}

/** Crash Postgres (immediate shutdown: crash recovery at the next start) and start it again. */
export function restartPostgres(): Fault {
  return { label: 'crash Postgres and restart', run: (world, rng) => world.pg.crashAndRestart(downtime(rng)) };
}

/** kill -9 one node of a NATS cluster (chosen by the seed) and leave it down. */
export function killNatsNode(): Fault {
  return {
    label: 'kill -9 one NATS node, left down',
    run: async (world, rng) => {
      const node = Math.floor(rng() * world.nats.size);
      world.note(`killing NATS node ${node + 1} of ${world.nats.size}`);
      await world.nats.kill(node);
    },
  };
}

/** The programme the load runs in: two labs, three agencies of different clearances, an analyst, a vendor. */
export async function enrolProgramme(world: ReliabilityWorld): Promise<void> {
  await world.enrol('Lab A', 'lab');
  const vendorLab = await world.enrol('Lab B', 'lab');
  await world.enrol('Agency U', 'agency', 'unclassified');
  await world.enrol('Agency S', 'agency', 'secret');
  await world.enrol('Agency T', 'agency', 'top-secret');
  const analyst = await world.enrol('Clearinghouse', 'clearinghouse');
  // Lab B maintains relfoo: every case is matched to it and it joins the need-to-know.
  const vendor = await world.call('POST', '/v1/vendors', analyst.key, {
    name: 'Relfoo', purlPrefixes: ['pkg:npm/relfoo'], contactUrl: 'mailto:sec@relfoo.example', orgId: vendorLab.id,
  });
  if (vendor.status !== 201) throw new Error(`creating the vendor: ${vendor.status} ${JSON.stringify(vendor.body)}`);
}
