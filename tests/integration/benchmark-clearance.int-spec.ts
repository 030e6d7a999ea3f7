// What each reader learns of a model's benchmark runs and frontier decision, on every channel: the classification
// answer, webhooks, the live stream (GET /v1/events) and the organisation's NATS feed. The whole system runs in one
// process (hostile-world.ts): a lab submits a model granted to a secret-cleared and an unclassified agency, while a
// second secret-cleared agency holds no grant; a secret and an unclassified suite, each with a threshold every answered
// run reaches, run against it. Suite detail (name, content hash, id, basis line) must reach operators and the granted
// agencies cleared for the suite, and no one else; run events only granted agencies cleared for the suite.
import { randomBytes } from 'node:crypto';
import { createLabSimulator, generateTasks, LabSimulator, mulberry32 } from '@vantage/apps/lab-simulator';
import { BenchModelClassified, EventEnvelope } from '@vantage/contracts';
import { readStream, Receiver, waitFor } from '@vantage/testing';
import { submitModelAt } from './benchmark-fixture';
import { HostileWorld, Org } from './hostile-world';
import { SseClient } from './sse-client';

jest.setTimeout(180_000);

const HEARTBEAT_MS = 300;
const BENCH_TYPES = 'gov.vantage.bench.*';
const LAB_KEY = 'sk-clearance-lab-key';
const MODEL = 'clearance-model';

type Reader = 'lab' | 'low' | 'granted' | 'noGrant' | 'operator';
type Channel = 'webhooks' | 'the live stream' | 'the NATS feed';

interface SuiteMarkers {
  name: string;
  /** The suite's name, content hash and id, and its basis line when it has one: what only the cleared may read. */
  detail: string[];
}

describe('suite detail and run events reach only those cleared for the suite and granted access', () => {
  let world: HostileWorld;
  let sim: LabSimulator;
  let submissionId: string;
  let operator: Org;
  const readers = {} as Record<Reader, Org>;
  const receivers = {} as Record<Exclude<Reader, 'operator'>, Receiver>;
  const markers = {} as { secret: SuiteMarkers[]; open: SuiteMarkers[] };
  const seen = new Map<string, EventEnvelope<any>[]>();
  const streams: SseClient[] = [];
  const tag = randomBytes(3).toString('hex');

  beforeAll(async () => {
    world = await HostileWorld.start({ gateway: { EVENT_STREAM_HEARTBEAT_MS: HEARTBEAT_MS } });
    const { gw, env } = world;
    operator = await gw.organisation('operator', 'Operators With A Feed');
    Object.assign(readers, {
      lab: world.orgs.labA, low: world.orgs.agencyLow, granted: world.orgs.agencyGranted, noGrant: world.orgs.agencyNoGrant, operator,
    });
    // Threshold 0: every answered run reaches it, so each suite has a line in the basis.
    // Items of their own each: suites with the same items would share a content hash.
    for (const [classification, name, seed] of [['secret', `secret-gate-${tag}`, 1411], ['unclassified', `open-gate-${tag}`, 1412]] as const) {
      const tasks = generateTasks(12, mulberry32(seed));
      const suite = await gw.call('POST', '/v1/suites', {
        key: operator.key, body: { name, version: '1', classification, scorer: 'exact', threshold: 0, items: tasks.map((t, i) => ({ id: `t${i}`, ...t })) },
      });
      expect(suite.status).toBe(201);
    }
    for (const reader of ['lab', 'low', 'granted', 'noGrant'] as const) {
      receivers[reader] = await Receiver.start();
      const sub = await gw.call('POST', '/v1/subscriptions', { key: readers[reader].key, body: { url: receivers[reader].url, types: [BENCH_TYPES] } });
      expect(sub.status).toBe(201);
    }

    sim = createLabSimulator({ apiKey: LAB_KEY, models: [MODEL], latencyMs: 0, skill: 1, seed: 7 });
    const { url } = await sim.listen();
    submissionId = await submitModelAt(gw, env, {
      labKey: readers.lab.key, model: MODEL, apiKey: LAB_KEY, baseUrl: `${url}/v1`, declaredTrainingFlop: 3.1e26,
      agencies: [readers.granted.id, readers.low.id],
    });
    const decision = await waitFor(async () => {
      const c = await gw.call('GET', `/v1/submissions/${submissionId}/classification`, { key: operator.key });
      return c.status === 200 ? c.body : undefined;
    }, { what: 'the frontier decision', timeoutMs: 60_000 });
    await world.quiet();

    // Every suite that ran (the world's own secret suite, without a threshold, too), as an operator sees it, with its
    // line of the decision's basis (the line names the suite).
    const suites = (await gw.call('GET', '/v1/suites', { key: operator.key })).body.items as any[];
    const lines = decision.basis as string[];
    const markersOf = (s: any): SuiteMarkers => ({
      name: s.name, detail: [s.name, s.contentHash, s.id, ...lines.filter((l) => l.includes(`${s.name}@${s.version}:`))],
    });
    markers.secret = suites.filter((s) => s.classification === 'secret').map(markersOf);
    markers.open = suites.filter((s) => s.classification === 'unclassified').map(markersOf);
    expect(markers.secret.map((m) => m.name).sort()).toEqual([`secret-gate-${tag}`, world.markers.secretSuite].sort());
    expect(markers.open.map((m) => m.name)).toEqual([`open-gate-${tag}`]);
    // Each gate suite's line is among its markers.
    for (const m of [...markers.secret, ...markers.open].filter((x) => x.name.includes(tag))) expect(m.detail).toHaveLength(4);

    // Every webhook of every reader sent.
    await waitFor(async () => {
      const [{ pending }] = await env.query<{ pending: number }>(
        "SELECT count(*)::int AS pending FROM notify.deliveries WHERE status = 'pending' AND event_type LIKE 'gov.vantage.bench.%'",
      );
      return pending === 0;
    }, { what: 'every bench webhook delivered', timeoutMs: 30_000 });
  });

  afterAll(async () => {
    for (const s of streams) await s.close();
    for (const r of Object.values(receivers)) await r?.close();
    await sim?.close();
    await world?.dispose();
  });

  /** The bench events (and, for the feed, every event) a reader got on a channel, once everything has settled. */
  async function received(reader: Reader, channel: Channel): Promise<EventEnvelope<any>[]> {
    const key = `${reader} ${channel}`;
    if (seen.has(key)) return seen.get(key)!;
    let events: EventEnvelope<any>[];
    if (channel === 'webhooks') {
      events = receivers[reader as Exclude<Reader, 'operator'>].requests.map((r) => JSON.parse(r.body));
    } else if (channel === 'the live stream') {
      // From the first event on; a heartbeat comes only once a read of the notifier found nothing more.
      const stream = await SseClient.open(`${world.gw.url}/v1/events?types=${BENCH_TYPES}&lastEventId=0`, readers[reader].key);
      streams.push(stream);
      expect(stream.status).toBe(200);
      await waitFor(() => stream.comments.includes('keep-alive'), { what: `${reader}'s stream to catch up`, timeoutMs: 20_000 });
      events = stream.events.map((e) => e.data);
    } else {
      const feed = await readStream(await world.env.nats(), world.env.streamName('feed'), `${world.env.prefix}.feed.${readers[reader].id}.>`);
      events = feed.map((m) => JSON.parse(m.body));
    }
    seen.set(key, events);
    return events;
  }

  const leaked = (text: string, suites: SuiteMarkers[]) => suites.flatMap((s) => s.detail.filter((d) => text.includes(d)));
  const missing = (text: string, suites: SuiteMarkers[]) =>
    suites.filter((s) => s.name.includes(tag)).flatMap((s) => s.detail.filter((d) => !text.includes(d)));

  it('answers the classification with the suites the caller is cleared for: every one to operators, the secret ones to the granted secret agency, none to the lab', async () => {
    const answer = async (reader: Reader) => {
      const a = await world.gw.call('GET', `/v1/submissions/${submissionId}/classification`, { key: readers[reader].key });
      expect({ reader, status: a.status }).toEqual({ reader, status: 200 });
      expect(a.body).toMatchObject({ frontier: true, policyVersion: expect.any(String), decidedAt: expect.any(String), basis: expect.any(Array) });
      return a;
    };
    const lab = await answer('lab');
    expect({ secret: leaked(lab.text, markers.secret), open: leaked(lab.text, markers.open) }).toEqual({ secret: [], open: [] });
    // The unclassified part: the compute line, and compute against the policy's figure.
    expect(lab.body.basis).toEqual(['compute: declared 3.10e+26 FLOP >= 1.00e+26']);
    expect(lab.body.compute).toEqual({ declaredTrainingFlop: 3.1e26, frontierAtFlop: 1e26 });
    expect(lab.body.suites).toEqual([]);

    const low = await answer('low');
    expect({ secret: leaked(low.text, markers.secret), open: missing(low.text, markers.open) }).toEqual({ secret: [], open: [] });
    const granted = await answer('granted');
    expect({ secret: missing(granted.text, markers.secret), open: missing(granted.text, markers.open) }).toEqual({ secret: [], open: [] });
    const op = await answer('operator');
    expect({ secret: missing(op.text, markers.secret), open: missing(op.text, markers.open) }).toEqual({ secret: [], open: [] });
    expect(op.body.basis[0]).toBe('compute: declared 3.10e+26 FLOP >= 1.00e+26');
    // Without a grant: nothing at all.
    expect((await world.gw.call('GET', `/v1/submissions/${submissionId}/classification`, { key: readers.noGrant.key })).status).toBe(404);
  });

  describe.each(['webhooks', 'the live stream', 'the NATS feed'] as Channel[])('by %s', (channel) => {
    const readersOf = (channel === 'webhooks' ? ['lab', 'low', 'granted'] : ['lab', 'low', 'granted', 'operator']) as Reader[];

    it("sends a suite's name, hash, id and line only to operators and the granted agencies cleared for it; the lab gets the decision without them", async () => {
      const text = {} as Record<Reader, string>;
      for (const reader of readersOf) text[reader] = (await received(reader, channel)).map((e) => JSON.stringify(e)).join('\n');
      expect({
        lab: { secret: leaked(text.lab, markers.secret), open: leaked(text.lab, markers.open) },
        low: { secret: leaked(text.low, markers.secret), open: missing(text.low, markers.open) },
        granted: { secret: missing(text.granted, markers.secret), open: missing(text.granted, markers.open) },
        ...(text.operator !== undefined ? { operator: { secret: missing(text.operator, markers.secret), open: missing(text.operator, markers.open) } } : {}),
      }).toEqual({
        lab: { secret: [], open: [] },
        low: { secret: [], open: [] },
        granted: { secret: [], open: [] },
        ...(text.operator !== undefined ? { operator: { secret: [], open: [] } } : {}),
      });
      // The lab heard of the decision itself: frontier, on its declared compute.
      const decided = (await received('lab', channel)).filter((e) => e.type === BenchModelClassified.type && e.subject === submissionId);
      expect(decided.map((e) => e.data)).toEqual([
        expect.objectContaining({ frontier: true, basis: ['compute: declared 3.10e+26 FLOP >= 1.00e+26'], compute: { declaredTrainingFlop: 3.1e26, frontierAtFlop: 1e26 } }),
      ]);
      expect((await received('lab', channel)).filter((e) => e.type.startsWith('gov.vantage.bench.run.'))).toEqual([]);
    });

    it('sends an agency cleared for every suite but holding no grant no run event, and nothing of the model', async () => {
      const got = await received('noGrant', channel);
      expect(got.filter((e) => e.type.startsWith('gov.vantage.bench.run.')).map((e) => e.type)).toEqual([]);
      expect(got.filter((e) => e.subject === submissionId || e.data?.submissionId === submissionId).map((e) => e.type)).toEqual([]);
      // The granted agency with the same clearance did hear of the runs on this channel.
      const runs = (await received('granted', channel)).filter((e) => e.type.startsWith('gov.vantage.bench.run.') && e.data.submissionId === submissionId);
      expect(runs.map((e) => e.type)).toEqual(expect.arrayContaining(['gov.vantage.bench.run.completed.v1']));
    });
  });
});
