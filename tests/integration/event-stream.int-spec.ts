// The live event stream end to end in one process: labs and agencies open `GET /v1/events` on the gateway, real
// flows (a lab's submissions) make events, and the notifier, which decides what each caller may see, answers the
// gateway's long-poll reads. Every wait is bounded; nothing sleeps.
import { get } from 'node:http';
import { NOTIFIER } from '@vantage/apps/notifier';
import { startNotifier } from '../../apps/notifier/test/notifier-fixture';
import { SubmissionReceived } from '@vantage/contracts';
import { TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway } from '../../apps/intake/test/gateway-fixture';
import { SseClient } from './sse-client';

jest.setTimeout(90_000);

const HEARTBEAT_MS = 300;
const SUBMISSIONS = 'gov.vantage.intake.submission.*';

describe('GET /v1/events (live event stream)', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await env.migrate(NOTIFIER);
    gw = await Gateway.start(env, { EVENT_STREAM_HEARTBEAT_MS: HEARTBEAT_MS });
    await startNotifier(env);
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) await s.close();
  });
  afterAll(async () => {
    await env?.dispose();
  });

  type Org = { id: string; key: string };

  const open = async (who: Org, query = `?types=${SUBMISSIONS}`, headers: Record<string, string> = {}) => {
    const s = await SseClient.open(`${gw.url}/v1/events${query}`, who.key, headers);
    streams.push(s);
    return s;
  };
  const submit = (who: Org): Promise<string> => gw.submit(who.key, env.clock.now());
  /** Bounded wait until the notifier has recorded (fanned out) the submissions' events. */
  const fannedOut = (submissionIds: string[]) =>
    waitFor(async () => {
      const rows = await env.query(`SELECT body::json->>'subject' AS subject FROM notify.events WHERE type = $1`, [SubmissionReceived.type]);
      const seen = new Set(rows.map((r) => r.subject));
      return submissionIds.every((id) => seen.has(id));
    }, { what: 'the notifier to record the events' });

  it('streams the entitled events in order, each with its sequence as id and without audience', async () => {
    const lab = await gw.organisation('lab', 'Streaming Lab');
    const stream = await open(lab);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);

    const submissions = [await submit(lab), await submit(lab), await submit(lab)];
    const events = await stream.received(3);
    expect(events.map((e) => e.data.subject)).toEqual(submissions);
    expect(events.map((e) => e.data.type)).toEqual([SubmissionReceived.type, SubmissionReceived.type, SubmissionReceived.type]);
    const ids = events.map((e) => Number(e.id));
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    for (const e of events) {
      expect(e.data).toMatchObject({ specversion: '1.0', data: { labId: lab.id } });
      expect(e.data.audience).toBeUndefined();
    }
  });

  it('never shows an organisation an event outside its audience', async () => {
    const owner = await gw.organisation('lab', 'Owner Lab');
    const otherLab = await gw.organisation('lab', 'Other Lab');
    const agency = await gw.organisation('agency', 'Curious Agency', 'top-secret');
    const operator = { id: 'operator', key: gw.operatorKey };
    const [ownerStream, otherStream, agencyStream, operatorStream] = [
      await open(owner),
      await open(otherLab),
      await open(agency, '?types=gov.vantage.*'),
      await open(operator),
    ];

    const ownersSubmission = await submit(owner);
    await ownerStream.received(1);
    // Each stream reads in sequence order: once the other lab's own, later event arrives, the owner's earlier one
    // has been looked at for that stream too, and was not shown.
    const othersSubmission = await submit(otherLab);
    const [theirs] = await otherStream.received(1);
    expect(theirs.data.subject).toBe(othersSubmission);
    expect(otherStream.events).toHaveLength(1);
    // Operators are in every audience; the agency, with no grant, in neither.
    const seenByOperator = await operatorStream.received(2);
    expect(seenByOperator.map((e) => e.data.subject)).toEqual([ownersSubmission, othersSubmission]);
    await waitFor(() => agencyStream.comments.includes('keep-alive'), { what: "a heartbeat on the agency's stream" });
    expect(agencyStream.events.filter((e) => e.data.type === SubmissionReceived.type)).toEqual([]);
    expect(ownerStream.events.map((e) => e.data.subject)).toEqual([ownersSubmission]);
  });

  it('resumes after Last-Event-ID with the events produced meanwhile, no gap and no duplicate', async () => {
    const lab = await gw.organisation('lab', 'Resuming Lab');
    const first = await open(lab);
    const before = [await submit(lab), await submit(lab)];
    const seen = await first.received(2);
    expect(seen.map((e) => e.data.subject)).toEqual(before);
    await first.close();

    const meanwhile = [await submit(lab), await submit(lab), await submit(lab)];
    await fannedOut(meanwhile);

    const lastId = seen[seen.length - 1].id;
    const resumed = await open(lab, `?types=${SUBMISSIONS}`, { 'last-event-id': lastId });
    const caughtUp = await resumed.received(3);
    expect(caughtUp.map((e) => e.data.subject)).toEqual(meanwhile);
    expect(Math.min(...caughtUp.map((e) => Number(e.id)))).toBeGreaterThan(Number(lastId));
    // The next event is the next one made: nothing was repeated or left out in between.
    const after = await submit(lab);
    const all = await resumed.received(4);
    expect(all.map((e) => e.data.subject)).toEqual([...meanwhile, after]);

    // The query parameter resumes the same way, for clients that cannot set the header.
    const viaQuery = await open(lab, `?types=${SUBMISSIONS}&lastEventId=${lastId}`);
    expect((await viaQuery.received(4)).map((e) => e.data.subject)).toEqual([...meanwhile, after]);
  });

  it('replays from the start (Last-Event-ID 0) in sequence order, each event once, across sequences of more digits', async () => {
    const lab = await gw.organisation('lab', 'Replaying Lab');
    const mine: string[] = [];
    for (let i = 0; i < 10; i++) mine.push(await submit(lab));
    await fannedOut(mine);
    // Sequences now run from one digit to two: ordered as text, 10 would come before 9.
    const [{ max }] = await env.query<{ max: number }>('SELECT max(seq)::int AS max FROM notify.events');
    expect(max).toBeGreaterThanOrEqual(10);
    const replay = await open(lab, `?types=${SUBMISSIONS}`, { 'last-event-id': '0' });
    // A heartbeat is written only after a read found nothing more: the replay has caught up.
    await waitFor(() => replay.comments.includes('keep-alive'), { what: 'the replay to catch up' });
    expect(replay.events.map((e) => e.data.subject)).toEqual(mine);
    const ids = replay.events.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('sends a keep-alive comment when idle', async () => {
    const lab = await gw.organisation('lab', 'Quiet Lab');
    const stream = await open(lab);
    await waitFor(() => stream.comments.filter((c) => c === 'keep-alive').length >= 2, { what: 'two heartbeats', timeoutMs: 10 * HEARTBEAT_MS + 5000 });
    expect(stream.events).toEqual([]);
  });

  it('releases a stream as soon as its client disconnects, without waiting for the next heartbeat', async () => {
    // A heartbeat far beyond every wait below: only the disconnect itself can end the stream on this replica.
    const slow = await gw.replica({ EVENT_STREAM_HEARTBEAT_MS: 60_000 });
    try {
      // Read over a connection of its own each time: a pooled client may leave a spare connection open, which
      // would hold the replica's shutdown until the server's header timeout.
      const openStreams = () =>
        new Promise<number>((resolve, reject) => {
          get(`${slow.url}/metrics`, { agent: false }, (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (c: string) => (text += c));
            res.on('end', () => resolve(Number(/^vantage_event_streams_open(?:\{[^}]*\})? (\d+)$/m.exec(text)?.[1])));
          }).on('error', reject);
        });
      expect(await openStreams()).toBe(0);
      const lab = await gw.organisation('lab', 'Leaving Lab');
      const stream = await SseClient.open(`${slow.url}/v1/events?types=${SUBMISSIONS}`, lab.key);
      expect(stream.status).toBe(200);
      // Serving: an event arrives, and the gateway is back in a long read of the notifier.
      const submissionId = await submit(lab);
      expect((await stream.received(1))[0].data.subject).toBe(submissionId);
      expect(await openStreams()).toBe(1);

      await stream.close();
      await waitFor(async () => (await openStreams()) === 0, { what: 'the gateway to release the stream', timeoutMs: 5000 });
    } finally {
      await slow.service.close();
    }
  });

  it('ends an open stream within a second of its key being revoked, on the replica that revoked it and on another', async () => {
    const other = await gw.replica({ EVENT_STREAM_HEARTBEAT_MS: HEARTBEAT_MS });
    try {
      const lab = await gw.organisation('lab', 'Revoked Lab');
      const issue = async () => (await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey })).body as { id: string; key: string };
      const [here, there] = [await issue(), await issue()];
      const kept = await open(lab);
      const onThisReplica = await open({ id: lab.id, key: here.key });
      const onTheOther = await SseClient.open(`${other.url}/v1/events?types=${SUBMISSIONS}`, there.key);
      streams.push(onTheOther);
      const submissionId = await submit(lab);
      for (const s of [kept, onThisReplica, onTheOther]) expect((await s.received(1))[0].data.subject).toBe(submissionId);

      expect((await gw.call('DELETE', `/v1/orgs/${lab.id}/keys/${here.id}`, { key: gw.operatorKey })).status).toBe(204);
      await waitFor(() => onThisReplica.ended, { timeoutMs: 1000, intervalMs: 20, what: 'the revoked key\'s stream to end' });
      expect(onThisReplica.comments).toContain('the API key was revoked');
      // The other replica hears of it through the revocation's NOTIFY.
      expect((await gw.call('DELETE', `/v1/orgs/${lab.id}/keys/${there.id}`, { key: gw.operatorKey })).status).toBe(204);
      await waitFor(() => onTheOther.ended, { timeoutMs: 1000, intervalMs: 20, what: 'the other replica to end the revoked key\'s stream' });

      // A stream under a key that is still valid goes on.
      const next = await submit(lab);
      expect((await kept.received(2))[1].data.subject).toBe(next);
      expect(kept.ended).toBe(false);
    } finally {
      await other.service.close();
    }
  });

  it('refuses one stream more than MAX_STREAMS_PER_KEY for a key with a 429 problem, and takes one again once a stream closes', async () => {
    const capped = await gw.replica({ EVENT_STREAM_HEARTBEAT_MS: HEARTBEAT_MS, MAX_STREAMS_PER_KEY: 2 });
    try {
      const lab = await gw.organisation('lab', 'Greedy Lab');
      const url = `${capped.url}/v1/events?types=${SUBMISSIONS}`;
      const opened = [await SseClient.open(url, lab.key), await SseClient.open(url, lab.key)];
      streams.push(...opened);
      expect(opened.map((s) => s.status)).toEqual([200, 200]);
      // Over a connection of its own: a pooled one left open would hold the replica's shutdown.
      const refused = await new Promise<{ status?: number; contentType?: string; body: any }>((resolve, reject) => {
        get(url, { agent: false, headers: { authorization: `Bearer ${lab.key}` } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode, contentType: res.headers['content-type'], body: JSON.parse(text) }));
        }).on('error', reject);
      });
      expect(refused.status).toBe(429);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ status: 429, code: 'too_many_streams' });
      expect(refused.body.detail).toContain('MAX_STREAMS_PER_KEY');
      // The limit is the key's: another key of the same organisation opens its own.
      const second = (await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey })).body.key;
      const another = await SseClient.open(url, second);
      streams.push(another);
      expect(another.status).toBe(200);

      await opened[0].close();
      const reopened = await waitFor(async () => {
        const s = await SseClient.open(url, lab.key);
        if (s.status === 200) return s;
        await s.close();
        expect(s.status).toBe(429);
        return undefined;
      }, { what: 'a place for the key once a stream closed' });
      streams.push(reopened);
    } finally {
      for (const s of streams.splice(0)) await s.close();
      await capped.service.close();
    }
  });

  it('refuses a bad type pattern or Last-Event-ID with a 400 naming it, and an unauthenticated caller', async () => {
    const lab = await gw.organisation('lab', 'Careless Lab');
    const badType = await gw.call('GET', '/v1/events?types=gov.vantage.window.*,gov.vantage.windw.*', { key: lab.key });
    expect(badType.status).toBe(400);
    expect(badType.body.errors.map((e: any) => e.field)).toEqual(['types[1]']);
    const empty = await gw.call('GET', '/v1/events?types=gov.vantage.window.*,,', { key: lab.key });
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((e: any) => e.field)).toEqual(['types']);
    const badId = await gw.call('GET', '/v1/events', { key: lab.key, headers: { 'last-event-id': 'abc' } });
    expect(badId.status).toBe(400);
    expect(badId.body.errors.map((e: any) => e.field)).toEqual(['Last-Event-ID']);
    expect((await gw.call('GET', '/v1/events', { key: null })).status).toBe(401);
  });
});
