// `npm run bench -- notifier [--events N] [--poll-ms N] [--repeat N]`: webhook deliveries per second from the notifier to 50
// loopback receivers, and the healthy receivers' p99 latency (arrival − event publish) with and without one dead
// endpoint (it never answers; each request hangs until the notifier's WEBHOOK_TIMEOUT_MS). Beside it, a bare loop
// that signs with `standardwebhooks` and POSTs the same number of deliveries to the same receivers with the same
// per-endpoint concurrency, measured in the same run. Events are real CloudEvents made with `createEvent` and
// published to the intake stream, as intake's outbox relay publishes them; organisations reach the notifier's
// directory through `organisation.created`, subscriptions are made over the notifier's request-reply subject.
// The notifier runs as its own process, as operators run it, and the bare loop in a worker thread: each sender has an
// event loop of its own, apart from the receivers and the publisher in this process's main thread.
// Beside the rate, the CPU spent per delivery by the sender and the receivers (this process, and the notifier's
// process in its runs; Postgres and NATS not): on a shared machine the rate follows whatever CPU share the run gets,
// the CPU cost much less so. `--repeat N` (3 unless given) runs A N times, each after a bare run, and the rate's
// verdict is on their median.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { v7 as uuidv7 } from 'uuid';
import { NOTIFIER, NotifierConfig } from '@vantage/apps/notifier';
import {
  Audience, CallerIdentity, createEvent, CreateSubscription, EventEnvelope, OrganisationCreated, SubmissionReceived,
} from '@vantage/contracts';
import { ServiceProcess, TestEnvironment, waitFor } from '@vantage/testing';
import type { BareSenderJob } from './support/bare-webhook-sender';

const RECEIVERS = 50;
/** The notifier's default lane width (WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT); the bare loop uses the same. */
const LANE = 4;
/** Every run must finish well inside the shared machine's two-minute budget. */
const RUN_TIMEOUT_MS = 60_000;

function argValue(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** A webhook endpoint on 127.0.0.1 that answers 204 at once (or never) and notes when each delivery arrived. */
class Receiver {
  arrivals: { eventId: string; at: number }[] = [];
  private readonly server: Server;

  private constructor(
    readonly dead: boolean,
    arrived: () => void,
  ) {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        if (this.dead) return; // never answers: the socket stays open until the sender gives up
        this.arrivals.push({ eventId: String(req.headers['webhook-id']), at: performance.now() });
        res.writeHead(204).end();
        arrived();
      });
    });
  }

  static async start(arrived: () => void, dead = false): Promise<Receiver> {
    const receiver = new Receiver(dead, arrived);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Counts arrivals at the healthy receivers and resolves when the expected number is reached. */
class Tally {
  private count = 0;
  private target = Infinity;
  private done?: () => void;

  readonly arrived = () => {
    this.count++;
    if (this.count >= this.target) this.done?.();
  };

  expect(n: number): Promise<boolean> {
    this.count = 0;
    this.target = n;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), RUN_TIMEOUT_MS);
      this.done = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}

/** CPU time (user + system) of this process and, if given, another one: microseconds. */
function cpuNow(otherPid?: number): number {
  const own = process.cpuUsage();
  let other = 0;
  if (otherPid) {
    const stat = readFileSync(`/proc/${otherPid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks (100 per second on Linux)
    other = ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  }
  return own.user + own.system + other;
}

interface Result {
  run: string;
  deliveries: number;
  arrived: number;
  seconds: number;
  p50: number;
  p99: number;
  /** Sender's and receivers' CPU (user + system) per arrived delivery, in microseconds. */
  cpuUs: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Figures from the healthy receivers' arrivals: rate over first publish → last arrival, latency per delivery. */
function figures(
  run: string,
  expected: number,
  receivers: Receiver[],
  started: number,
  sentAt: (eventId: string) => number,
  cpuUs: number,
): Result {
  const arrivals = receivers.flatMap((r) => r.arrivals);
  const last = arrivals.reduce((m, a) => Math.max(m, a.at), started);
  const latencies = arrivals.map((a) => a.at - sentAt(a.eventId)).sort((a, b) => a - b);
  return {
    run,
    deliveries: expected,
    arrived: arrivals.length,
    seconds: (last - started) / 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuUs: cpuUs / Math.max(1, arrivals.length),
  };
}

function submissionEvent(orgIds: string[]): EventEnvelope<unknown> {
  const submissionId = uuidv7();
  const now = new Date();
  return createEvent(SubmissionReceived, {
    source: 'intake',
    subject: submissionId,
    time: now,
    // As intake stamps it (operators and the lab), widened to every subscribing organisation.
    audience: Audience.operatorsAnd(orgIds),
    data: {
      submissionId,
      labId: orgIds[0],
      model: { name: 'acme-frontier', version: submissionId.slice(-8) },
      plannedReleaseAt: new Date(now.getTime() + 20 * 24 * 3600 * 1000).toISOString(),
      receivedAt: now.toISOString(),
    },
  });
}

/** Organisations join as intake announces them: an `organisation.created` event each, handled by the notifier. */
async function createOrganisations(env: TestEnvironment, n: number): Promise<CallerIdentity[]> {
  const js = (await env.nats()).jetstream();
  const enc = new TextEncoder();
  const orgs: CallerIdentity[] = Array.from({ length: n }, () => ({ orgId: uuidv7(), kind: 'lab' as const }));
  const expected = (await env.query<{ c: number }>('SELECT count(*)::int AS c FROM notify.organisations'))[0].c + n;
  await Promise.all(
    orgs.map((o, i) => {
      const event = createEvent(OrganisationCreated, {
        source: 'intake',
        subject: o.orgId,
        time: new Date(),
        audience: Audience.operatorsAnd([o.orgId]),
        data: { orgId: o.orgId, name: `Bench Lab ${i + 1}`, kind: 'lab', createdAt: new Date().toISOString() },
      });
      return js.publish(OrganisationCreated.subject(env.prefix), enc.encode(JSON.stringify(event)), { msgID: event.id });
    }),
  );
  await waitFor(async () => (await env.query<{ c: number }>('SELECT count(*)::int AS c FROM notify.organisations'))[0].c >= expected, {
    what: `${n} organisations in the notifier's directory`,
  });
  return orgs;
}

/** Run A or B: N events published to the intake stream at once; ends when every healthy delivery has arrived. */
async function runNotifier(env: TestEnvironment, notifierPid: number | undefined, run: string, orgIds: string[], healthy: Receiver[], tally: Tally, events: number): Promise<Result> {
  const js = (await env.nats()).jetstream();
  const enc = new TextEncoder();
  for (const r of healthy) r.arrivals = [];
  const batch = Array.from({ length: events }, () => submissionEvent(orgIds));
  const expected = events * healthy.length;
  const allArrived = tally.expect(expected);
  const sentAt = new Map<string, number>();
  const started = performance.now();
  const cpu = cpuNow(notifierPid);
  await Promise.all(
    batch.map((e) => {
      sentAt.set(e.id, performance.now());
      return js.publish(SubmissionReceived.subject(env.prefix), enc.encode(JSON.stringify(e)), { msgID: e.id });
    }),
  );
  await allArrived;
  return figures(run, expected, healthy, started, (id) => sentAt.get(id) ?? started, cpuNow(notifierPid) - cpu);
}

/** The baseline: per endpoint, LANE loops that each sign with standardwebhooks and POST, in a worker thread. */
async function runBare(healthy: Receiver[], tally: Tally, events: number, run: string): Promise<Result> {
  for (const r of healthy) r.arrivals = [];
  const bodies = Array.from({ length: events }, () => {
    const { audience: _routing, ...cloudEvent } = submissionEvent([uuidv7()]);
    return { id: cloudEvent.id, body: JSON.stringify(cloudEvent) };
  });
  const job: BareSenderJob = { urls: healthy.map((r) => r.url), secrets: healthy.map(() => `whsec_${randomBytes(32).toString('base64')}`), bodies, lane: LANE };
  const expected = events * healthy.length;
  const allArrived = tally.expect(expected);
  const started = performance.now();
  const cpu = cpuNow();
  // The worker loads TypeScript the way this process did (apps/launcher/src/register.js).
  const worker = new Worker(`require(${JSON.stringify(REGISTER)}); require(${JSON.stringify(BARE_SENDER)});`, { eval: true, workerData: { bareSenderJob: job } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { done?: true; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve()));
    worker.once('error', reject);
  });
  await allArrived;
  const used = cpuNow() - cpu;
  await worker.terminate();
  return figures(run, expected, healthy, started, () => started, used);
}

const REGISTER = path.resolve(__dirname, '..', '..', 'apps', 'launcher', 'src', 'register.js');
const BARE_SENDER = path.resolve(__dirname, 'support', 'bare-webhook-sender.ts');

export async function main(args: string[]): Promise<void> {
  const events = argValue(args, '--events', 200);
  // The notifier's own default unless given: new deliveries wake it on fan-out's commit, the poll is a fallback.
  const pollMs = argValue(args, '--poll-ms', new NotifierConfig().WEBHOOK_POLL_MS);
  const repeat = argValue(args, '--repeat', 3);
  const tally = new Tally();
  const receivers: Receiver[] = [];
  let env: TestEnvironment | undefined;
  let notifier: ServiceProcess | undefined;
  const results: Result[] = [];
  try {
    // Near the wall clock: the signatures' timestamps come from the notifier's clock.
    env = await TestEnvironment.create(new Date().toISOString());
    await env.migrate(NOTIFIER);
    notifier = await ServiceProcess.start(env, NOTIFIER.service, { LOG_LEVEL: 'warn', WEBHOOK_POLL_MS: pollMs, OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost' });
    const pid = notifier.pid;
    // Subscriptions are made over the notifier's request-reply subject, as the gateway (intake) makes them.
    const rpc = await env.rpcClientAs('intake');
    const subscribe = async (caller: CallerIdentity, url: string) => {
      await rpc.request(CreateSubscription, { url, types: ['gov.vantage.intake.submission.*'] }, { caller });
    };

    for (let i = 0; i < RECEIVERS; i++) receivers.push(await Receiver.start(tally.arrived));
    const orgs = await createOrganisations(env, RECEIVERS);
    for (let i = 0; i < RECEIVERS; i++) await subscribe(orgs[i], receivers[i].url);
    const orgIds = orgs.map((o) => o.orgId);

    // Warm-up (not reported), as long as a run: JIT, connection pools, keep-alive sockets to every receiver, and
    // tables past their first few thousand rows. With a five-event warm-up the first run was always the slowest.
    await runNotifier(env, pid, 'warm-up', orgIds, receivers, tally, events);

    // Bare and notifier runs alternate, so that each notifier figure has a baseline taken moments before it.
    for (let i = 1; i <= repeat; i++) {
      const n = repeat > 1 ? ` ${i}` : '';
      results.push(await runBare(receivers, tally, events, `bare sign + POST${n}`));
      results.push(await runNotifier(env, pid, `notifier (A)${n}`, orgIds, receivers, tally, events));
    }

    // Run B: one more organisation whose endpoint never answers, subscribed to the same events.
    const dead = await Receiver.start(() => undefined, true);
    receivers.push(dead);
    const [deadOrg] = await createOrganisations(env, 1);
    await subscribe(deadOrg, dead.url);
    results.push(await runNotifier(env, pid, 'notifier + dead (B)', [...orgIds, deadOrg.orgId], receivers.slice(0, RECEIVERS), tally, events));
  } finally {
    await notifier?.stop().catch(() => undefined);
    for (const r of receivers) await r.close().catch(() => undefined);
    await env?.dispose();
  }

  const rate = (r: Result) => r.arrived / r.seconds;
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(22) : c.padStart(14))).join('');
  console.log(`\nnotifier: webhook deliveries to ${RECEIVERS} loopback receivers, ${events} events each (poll ${pollMs} ms, lane ${LANE})\n`);
  console.log(line(['run', 'deliveries', 'arrived', 'seconds', 'deliveries/s', 'p50 ms', 'p99 ms', 'cpu µs/deliv.']));
  for (const r of results) {
    console.log(
      line([r.run, String(r.deliveries), String(r.arrived), r.seconds.toFixed(2), rate(r).toFixed(0), r.p50.toFixed(0), r.p99.toFixed(0), r.cpuUs.toFixed(0)]),
    );
  }
  const pairs = results.slice(0, -1);
  const bares = pairs.filter((_, i) => i % 2 === 0);
  const as = pairs.filter((_, i) => i % 2 === 1);
  const b = results[results.length - 1];
  const a = as[as.length - 1];
  const complete = results.every((r) => r.arrived >= r.deliveries);
  if (!complete) console.log(`incomplete: some deliveries had not arrived after ${RUN_TIMEOUT_MS / 1000} s; figures are over what arrived`);
  console.log('(bare latency is from the loop\'s start; the notifier\'s from each event\'s publish)');
  const range = (xs: number[]) => (xs.length > 1 ? `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}` : xs[0].toFixed(2));
  console.log(`ratio notifier/bare deliveries/s: ${range(as.map((x, i) => rate(x) / rate(bares[i])))}`);
  console.log(`ratio notifier/bare CPU per delivery: ${range(as.map((x, i) => x.cpuUs / bares[i].cpuUs))}`);
  const ratio = b.p99 / a.p99;
  console.log(`ratio healthy p99 with/without a dead endpoint (B/A): ${ratio.toFixed(2)}`);
  const rates = as.map(rate).sort((x, y) => x - y);
  const median = rates[Math.floor(rates.length / 2)];
  console.log(`target: ≥ 5,000 deliveries/s (A): ${complete && median >= 5000 ? 'met' : 'NOT met'} (${median.toFixed(0)}${as.length > 1 ? `, the median of ${rates.map((r) => r.toFixed(0)).join(', ')}` : ''})`);
  console.log(`target: p99 B/A ≤ 1.2: ${complete && ratio <= 1.2 ? 'met' : 'NOT met'}`);
}
