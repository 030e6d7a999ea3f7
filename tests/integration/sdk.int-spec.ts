// The SDK (libs/client) against a running gateway and the services behind it: the document its types are generated
// from is the one the gateway serves; a create retried with its Idempotency-Key makes one thing; the live stream
// resumes after the last event it gave, with no gap and no repeat; a real webhook delivery verifies with the helper.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppModule as SchedulerModule, loadWindowSchedulerConfig, WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { NOTIFIER } from '@vantage/apps/notifier';
import { createVantageClient, streamEvents, unwrap, VantageApiError, VantageEvent, verifyWebhook } from '@vantage/client';
import { Receiver, TestEnvironment, waitFor } from '@vantage/testing';
import { startNotifier } from '../../apps/notifier/test/notifier-fixture';
import { Gateway } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(120_000);

const OPENAPI_FILE = path.resolve(__dirname, '../../libs/client/openapi.json');

describe('the SDK against the running system', () => {
  // Near the wall clock: webhook signatures carry the notifier's time, and receivers refuse old ones.
  let env: TestEnvironment;
  let gw: Gateway;
  const orgs: Record<'lab' | 'agency', { id: string; key: string }> = {} as never;
  const world = { get gw() { return gw; }, get env() { return env; }, orgs };
  const client = (role: keyof typeof orgs) => createVantageClient({ baseUrl: gw.url, apiKey: orgs[role].key });

  beforeAll(async () => {
    env = await TestEnvironment.create(new Date().toISOString());
    for (const entry of [WINDOW_SCHEDULER, NOTIFIER]) await env.migrate(entry);
    gw = await Gateway.start(env, { EVENT_STREAM_HEARTBEAT_MS: 200 });
    await env.start(WINDOW_SCHEDULER, { loadConfig: (e) => loadWindowSchedulerConfig(e), module: (c, o) => SchedulerModule.forRoot(c, o) });
    await startNotifier(env, { WEBHOOK_POLL_MS: 50 });
    orgs.lab = await gw.organisation('lab', 'SDK Lab');
    orgs.agency = await gw.organisation('agency', 'SDK Agency', 'secret');
  });
  afterAll(() => env?.dispose());

  it("is typed from the very document the gateway serves (npm run docs keeps libs/client/openapi.json current)", async () => {
    const live = await (await fetch(`${world.gw.url}/openapi.json`)).json();
    expect(live).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
  });

  it('makes one submission of a create retried with the same Idempotency-Key, and names the fields of a refusal', async () => {
    const lab = client('lab');
    const body = {
      model: { name: 'sdk-model', version: '1' },
      plannedReleaseAt: new Date(world.env.clock.nowMs() + 20 * 24 * 3600_000).toISOString(),
      endpoint: { baseUrl: 'https://api.acme.example/v1', modelId: 'sdk-model', apiKey: 'sk-sdk' },
    };
    const headers = { 'Idempotency-Key': 'sdk-create-1' };
    const first: any = await unwrap(lab.POST('/v1/submissions', { body, headers } as any));
    const again: any = await unwrap(lab.POST('/v1/submissions', { body, headers } as any));
    expect(again.id).toBe(first.id);
    const refused = await unwrap(lab.POST('/v1/submissions', { body: { ...body, plannedReleaseAt: '2020-01-01T00:00:00Z' } } as any)).catch((e) => e);
    expect(refused).toBeInstanceOf(VantageApiError);
    expect(refused.status).toBe(422);
    expect(refused.problem.errors.map((e: any) => e.field)).toContain('plannedReleaseAt');
    const me = await unwrap(lab.GET('/v1/me'));
    expect(me).toMatchObject({ orgId: world.orgs.lab.id, kind: 'lab' });
  });

  it('resumes the live stream after the last event it gave: no gap, no repeat', async () => {
    const types = ['gov.vantage.intake.submission.received.v1'];
    /** Reads until `enough` says so (the stream itself never ends). */
    const read = async (enough: (got: VantageEvent[]) => boolean, lastEventId?: string) => {
      const abort = new AbortController();
      const got: VantageEvent[] = [];
      const reading = (async () => {
        try {
          for await (const e of streamEvents({ baseUrl: world.gw.url, apiKey: world.orgs.lab.key, types, lastEventId, signal: abort.signal })) {
            got.push(e);
            if (enough(got)) abort.abort();
          }
        } catch (e) {
          if (!abort.signal.aborted) throw e;
        }
      })();
      return { got, reading, abort };
    };
    const a = await world.gw.submit(world.orgs.lab.key, world.env.clock.now());
    // From the start of the stream (Last-Event-ID 0) up to this submission's event, each once.
    const before = await read((got) => got.some((e) => e.event.subject === a), '0');
    await before.reading;
    const seen = before.got.map((e) => e.event.subject);
    expect(seen[seen.length - 1]).toBe(a);
    expect(new Set(seen).size).toBe(seen.length);
    const last = before.got[before.got.length - 1].id;
    // Two more while nobody listens, then a reader that resumes after the last one seen.
    const b = await world.gw.submit(world.orgs.lab.key, world.env.clock.now());
    const c = await world.gw.submit(world.orgs.lab.key, world.env.clock.now());
    const after = await read((got) => got.length >= 2, last);
    await after.reading;
    expect(after.got.map((e) => e.event.subject)).toEqual([b, c]);
    expect(after.got.map((e) => Number(e.id))).toEqual([...after.got.map((e) => Number(e.id))].sort((x, y) => x - y));
    expect(Number(after.got[0].id)).toBeGreaterThan(Number(last));
  });

  it("verifies a real webhook delivery with the subscription's secret, and refuses a tampered one", async () => {
    const receiver = await Receiver.start(() => ({ status: 204 }));
    try {
      const agency = client('agency');
      const sub: any = await unwrap(agency.POST('/v1/subscriptions', { body: { url: receiver.url, types: ['gov.vantage.window.*'] } } as any));
      await world.gw.submit(world.orgs.lab.key, world.env.clock.now());
      const [delivery] = await waitFor(() => receiver.requests.length >= 1 && receiver.requests, { what: 'a webhook delivery' });
      const event = verifyWebhook(sub.secret, delivery.body, delivery.headers);
      expect(event.type).toMatch(/^gov\.vantage\.window\./);
      expect(() => verifyWebhook(sub.secret, delivery.body.replace('"data"', '"datA"'), delivery.headers)).toThrow();
    } finally {
      await receiver.close();
    }
  });
});
