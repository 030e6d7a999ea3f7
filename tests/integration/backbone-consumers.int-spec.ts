// The consumer side of the backbone against a real NATS (JetStream) and Postgres.
import { headers as natsHeaders } from 'nats';
import { Metrics } from '@vantage/observability';
import { loadConfig } from '@vantage/config';
import { EventEnvelope, SubmissionReceived } from '@vantage/contracts';
import { DLQ_HEADERS } from '@vantage/messaging';
import {
  BackboneConfig, backboneEntry, BatchEffectHandlers, EffectHandlers, FLAKY, OUTAGE, POISON, readStream, RunningService, STREAM_OUTAGE,
  submissionEvent, TestEnvironment, waitFor,
} from '@vantage/testing';

jest.setTimeout(60_000);

describe('event consumers', () => {
  let env: TestEnvironment;
  const entry = backboneEntry([EffectHandlers]);

  beforeAll(async () => {
    env = await TestEnvironment.create();
    await env.migrate(entry);
  });
  afterAll(() => env?.dispose());

  // The fixture stands for any service; one of its handlers publishes where no stream is, which needs every right.
  const start = (overrides: Record<string, unknown> = {}) =>
    env.start(entry, { loadConfig: (e) => loadConfig(BackboneConfig, e), module: entry.moduleFor, overrides: { NATS_CREDS_FILE: env.adminCredsFile, ...overrides } });

  async function publish(event: EventEnvelope<unknown>, msgId = event.id): Promise<void> {
    const nc = await env.nats();
    const h = natsHeaders();
    h.set('traceparent', event.traceparent);
    await nc.jetstream().publish(SubmissionReceived.subject(env.prefix), new TextEncoder().encode(JSON.stringify(event)), { msgID: msgId, headers: h });
  }

  const effectsOf = (eventId: string) => env.query('SELECT * FROM notify.effects WHERE event_id = $1', [eventId]);
  async function deadLettersNow() {
    return readStream(await env.nats(), env.streamName('dlq'));
  }

  it('handles the same event delivered twice once', async () => {
    const service = await start();
    try {
      const event = submissionEvent();
      // Two stream messages with the same event id (different Nats-Msg-Id, so the server keeps both).
      await publish(event, `${event.id}-a`);
      await publish(event, `${event.id}-b`);
      await waitFor(async () => (await effectsOf(event.id)).length === 1, { what: 'the effect' });
      const inbox = await waitFor(async () => {
        const rows = await env.query("SELECT count(*)::int AS n FROM notify.inbox WHERE event_id = $1", [event.id]);
        const handled = await (service.app.get(Metrics).eventsHandled as any).get();
        const total = handled.values.reduce((s: number, v: any) => s + v.value, 0);
        return total >= 1 && rows[0].n === 1 ? rows : undefined;
      });
      expect(inbox[0].n).toBe(1);
      // Both copies were taken off the consumer (acked): nothing is left pending or waiting for an ack.
      const nc = await env.nats();
      const info = await waitFor(async () => {
        const i = await (await nc.jetstreamManager()).consumers.info(env.streamName('intake'), 'notifier-effects');
        return i.num_ack_pending === 0 && i.num_pending === 0 ? i : undefined;
      });
      expect(info.delivered.stream_seq).toBeGreaterThanOrEqual(2);
      expect(await effectsOf(event.id)).toHaveLength(1);
    } finally {
      await service.close();
    }
  });

  it('retries a transient failure with backoff and then handles it once', async () => {
    const service = await start();
    try {
      const event = submissionEvent(FLAKY);
      await publish(event);
      await waitFor(async () => (await effectsOf(event.id)).length === 1, { what: 'the effect after two failures' });
      const handlers = service.app.get(EffectHandlers);
      expect(handlers.attempts.get(event.id)).toBe(3);
      expect((await deadLettersNow()).filter((m) => m.body.includes(event.id))).toHaveLength(0);
    } finally {
      await service.close();
    }
  });

  it('dead-letters a handler that keeps failing after max_deliver, and still handles the next messages', async () => {
    const service = await start({ VANTAGE_MAX_DELIVER: 3 });
    try {
      const poison = submissionEvent(POISON);
      const next = [submissionEvent(), submissionEvent()];
      await publish(poison);
      for (const e of next) await publish(e);
      for (const e of next) await waitFor(async () => (await effectsOf(e.id)).length === 1, { what: 'the messages after the poison one' });
      const letter = await waitFor(async () => (await deadLettersNow()).find((m) => m.body.includes(poison.id)), { what: 'the dead letter' });
      expect(letter.subject).toBe(`${env.prefix}.dlq.notifier`);
      expect(letter.headers[DLQ_HEADERS.reason]).toBe('max-deliver');
      expect(letter.headers[DLQ_HEADERS.consumer]).toBe('notifier-effects');
      expect(letter.headers[DLQ_HEADERS.error]).toContain('this event can never be handled');
      expect(letter.headers[DLQ_HEADERS.originalSubject]).toBe(SubmissionReceived.subject(env.prefix));
      expect(JSON.parse(letter.body)).toEqual(poison);
      expect(service.app.get(EffectHandlers).attempts.get(poison.id)).toBe(3);
      expect(await effectsOf(poison.id)).toHaveLength(0);
      const metrics = await service.app.get(Metrics).render();
      expect(metrics).toMatch(/vantage_events_dead_lettered_total\{[^}]*consumer="notifier-effects"[^}]*\} 1/);
    } finally {
      await service.close();
    }
  });

  it.each([
    ['a database outage', OUTAGE, 'the database is back'],
    ['a stream that does not answer the handler\'s publish', STREAM_OUTAGE, 'the stream answers'],
  ])('waits out %s longer than max_deliver without dead-lettering, then handles the event once', async (_what, model, until) => {
    const service = await start({ VANTAGE_MAX_DELIVER: 3 });
    try {
      const event = submissionEvent(model);
      await publish(event);
      await waitFor(async () => (await effectsOf(event.id)).length === 1, { what: `the effect once ${until}` });
      // Five failed deliveries, more than max_deliver allows for a failure of the handler's own.
      expect(service.app.get(EffectHandlers).attempts.get(event.id)).toBe(6);
      expect((await deadLettersNow()).filter((m) => m.body.includes(event.id))).toHaveLength(0);
    } finally {
      await service.close();
    }
  });

  it('dead-letters a payload that breaks its schema without handling it', async () => {
    const service = await start();
    try {
      const bad = submissionEvent();
      (bad.data as any).plannedReleaseAt = 'next tuesday';
      (bad.data as any).unexpected = 'field';
      await publish(bad);
      const letter = await waitFor(async () => (await deadLettersNow()).find((m) => m.body.includes(bad.id)), { what: 'the dead letter' });
      expect(letter.headers[DLQ_HEADERS.reason]).toBe('invalid-payload');
      expect(letter.headers[DLQ_HEADERS.error]).toContain('plannedReleaseAt');
      expect(service.app.get(EffectHandlers).attempts.get(bad.id)).toBeUndefined();
      expect(await effectsOf(bad.id)).toHaveLength(0);
    } finally {
      await service.close();
    }
  });

  it('shares one durable consumer between two replicas: every event handled once in total', async () => {
    const [a, b] = [await start(), await start()];
    try {
      const events = Array.from({ length: 60 }, () => submissionEvent());
      for (const e of events) await publish(e);
      const ids = events.map((e) => e.id);
      const rows = await waitFor(async () => {
        const r = await env.query<{ event_id: string; handled_by: string }>('SELECT event_id, handled_by FROM notify.effects WHERE event_id = ANY($1::uuid[])', [ids]);
        return r.length >= ids.length ? r : undefined;
      }, { what: 'all 60 effects' });
      expect(rows).toHaveLength(60);
      expect(new Set(rows.map((r) => r.event_id)).size).toBe(60);
      const attemptsA = a.app.get(EffectHandlers).attempts;
      const attemptsB = b.app.get(EffectHandlers).attempts;
      const handledTwice = ids.filter((id) => attemptsA.has(id) && attemptsB.has(id));
      expect(handledTwice).toEqual([]);
      expect(ids.filter((id) => attemptsA.has(id) || attemptsB.has(id))).toHaveLength(60);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('batch event handlers', () => {
  let env: TestEnvironment;
  let service: RunningService;
  const entry = backboneEntry([BatchEffectHandlers]);

  beforeAll(async () => {
    env = await TestEnvironment.create();
    await env.migrate(entry);
    service = await env.start(entry, { loadConfig: (e) => loadConfig(BackboneConfig, e), module: entry.moduleFor });
  });
  afterAll(() => env?.dispose());

  it('handles many events in one transaction and isolates a poison event in a batch', async () => {
    const nc = await env.nats();
    const js = nc.jetstream();
    const events = Array.from({ length: 200 }, (_, i) => submissionEvent(i === 57 ? POISON : 'acme'));
    await Promise.all(events.map((e) => js.publish(SubmissionReceived.subject(env.prefix), new TextEncoder().encode(JSON.stringify(e)), { msgID: e.id })));
    const good = events.filter((e) => e.data.model.name !== POISON).map((e) => e.id);
    const rows = await waitFor(async () => {
      const r = await env.query('SELECT event_id FROM notify.effects WHERE event_id = ANY($1::uuid[])', [good]);
      return r.length >= good.length ? r : undefined;
    }, { what: '199 effects' });
    expect(rows).toHaveLength(199);
    const letter = await waitFor(async () => (await readStream(nc, env.streamName('dlq'))).find((m) => m.body.includes(events[57].id)));
    expect(letter.headers[DLQ_HEADERS.consumer]).toBe('notifier-batch-effects');
    expect(service).toBeDefined();
  });
});

describe('a consumer whose stream is not there yet', () => {
  let env: TestEnvironment;
  const entry = backboneEntry([EffectHandlers]);

  beforeAll(async () => {
    // No stream made up front: only a producer may make its stream, and the intake stream's producer is not running.
    env = await TestEnvironment.create(undefined, { streams: false });
    await env.migrate(entry);
  });
  afterAll(() => env?.dispose());

  it('starts, says on /health/ready that it waits, and attaches and handles events once the producer made the stream', async () => {
    // Its own user: it may not make another domain's stream, so it must wait rather than make it.
    const service = await env.start(entry, { loadConfig: (e) => loadConfig(BackboneConfig, e), module: entry.moduleFor });
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toMatch(/waiting for the streams of notifier-effects/);

    await env.makeStreams();
    await waitFor(async () => (await fetch(`${service.url}/health/ready`)).status === 200, { what: 'ready once the stream exists' });
    const event = submissionEvent('acme-late-stream');
    await (await env.nats()).jetstream().publish(SubmissionReceived.subject(env.prefix), new TextEncoder().encode(JSON.stringify(event)), { msgID: event.id });
    const rows = await waitFor(async () => {
      const r = await env.query('SELECT event_id FROM notify.effects WHERE event_id = $1', [event.id]);
      return r.length ? r : undefined;
    }, { what: 'the effect of an event published after the stream appeared' });
    expect(rows).toHaveLength(1);
  });
});
