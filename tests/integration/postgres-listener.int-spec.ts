// NOTIFY wake-ups and the sessions that hang on them survive a lost connection: the listener comes back by
// itself, and the outbox relay (which holds its lock on that connection) goes on publishing. Commits made
// where the relay runs wake it in-process, without NOTIFY; commits of another replica wake it by NOTIFY.
import { SubmissionReceived } from '@vantage/contracts';
import { OutboxRelay, outboxChannel } from '@vantage/messaging';
import { PostgresListener } from '@vantage/persistence';
import { readEvents, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, submissionBody } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(60_000);

describe('Postgres listener', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
  });
  afterAll(() => env?.dispose());

  const terminate = (applicationName: string) =>
    env.query<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
      [env.database, applicationName],
    );

  it('hears notifications again after its connection is killed, and says it was lost and is back', async () => {
    const heard: string[] = [];
    const states: string[] = [];
    const listener = new PostgresListener({
      url: env.databaseAdminUrl,
      applicationName: 'listener-under-test',
      channels: ['test_channel'],
      onNotification: (channel, payload) => heard.push(`${channel}:${payload}`),
      onConnected: () => states.push('connected'),
      onDisconnected: () => states.push('lost'),
      maxRetryMs: 200,
    });
    await listener.start();
    try {
      await env.query("SELECT pg_notify('test_channel', 'one')");
      await waitFor(() => heard.includes('test_channel:one'), { what: 'the first notification' });

      expect(await terminate('listener-under-test')).toEqual([{ ended: true }]);
      await waitFor(() => states.length === 3 && listener.connected, { what: 'the listener to reconnect' });
      expect(states).toEqual(['connected', 'lost', 'connected']);

      await env.query("SELECT pg_notify('test_channel', 'two')");
      await waitFor(() => heard.includes('test_channel:two'), { what: 'a notification after the reconnection' });
      expect(heard).toEqual(['test_channel:one', 'test_channel:two']);
    } finally {
      await listener.close();
    }
  });

  it('keeps relaying the outbox after the relay lost its connection (and the lock it held on it)', async () => {
    const gw = await Gateway.start(env);
    try {
      const lab = await gw.organisation('lab', 'Relay Lab');
      const eventsOf = async (id: string) => (await readEvents(await env.nats(), env.streamName('intake'))).filter((e) => e.subject === id);
      const first = await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody() });
      await waitFor(async () => (await eventsOf(first.body.id)).length === 1, { what: 'the first submission.received' });

      expect(await terminate('intake-outbox-relay')).toEqual([{ ended: true }]);
      const second = await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody() });
      expect(second.status).toBe(201);
      await waitFor(async () => (await eventsOf(second.body.id)).length === 1, { what: 'submission.received after the relay reconnected' });
      const [{ pending }] = await env.query<{ pending: number }>('SELECT count(*)::int AS pending FROM intake.outbox WHERE sent_at IS NULL');
      expect(pending).toBe(0);
    } finally {
      await gw.close();
    }
  });

  it('wakes the relay at once: in-process after a commit where it runs (no NOTIFY), by NOTIFY from another replica', async () => {
    // The fallback poll is ten minutes away: only a wake-up can publish these events in time.
    const slowPoll = { OUTBOX_POLL_MS: 600_000 };
    const holder = await Gateway.start(env, slowPoll);
    const other = await holder.replica(slowPoll);
    const notified: string[] = [];
    const channel = outboxChannel({ service: 'intake' });
    const listener = new PostgresListener({ url: env.databaseAdminUrl, applicationName: 'wake-watcher', channels: [channel], onNotification: (c) => notified.push(c) });
    await listener.start();
    try {
      // The first replica's relay took the lock at start-up; the second's found it taken.
      await waitFor(() => holder.service.app.get(OutboxRelay).wakesOnLocalCommit, { what: 'the first replica to hold the relay lock' });
      expect(other.service.app.get(OutboxRelay).wakesOnLocalCommit).toBe(false);
      const lab = await holder.organisation('lab', 'Wake Lab');
      const eventsOf = async (id: string) => (await readEvents(await env.nats(), env.streamName('intake'))).filter((e) => e.subject === id);
      notified.length = 0;

      const local = await holder.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody() });
      expect(local.status).toBe(201);
      await waitFor(async () => (await eventsOf(local.body.id)).length === 1, { what: 'submission.received from the relay woken in-process', timeoutMs: 5000 });
      expect(notified).toEqual([]);

      const remote = await other.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody() });
      expect(remote.status).toBe(201);
      await waitFor(async () => (await eventsOf(remote.body.id)).length === 1, { what: 'submission.received from the relay woken by NOTIFY', timeoutMs: 5000 });
      expect(notified).toEqual([channel]);
    } finally {
      await listener.close();
      await other.close();
      await holder.close();
    }
  });

  it('publishes a row without trace context instead of stalling the outbox on it', async () => {
    const gw = await Gateway.start(env);
    try {
      const lab = await gw.organisation('lab', 'Bare Row Lab');
      // Written by hand, not by createEvent: no traceparent, no correlationid.
      const bareId = '01a21b24-8fe4-7000-8000-000000000001';
      await env.query(`INSERT INTO intake.outbox (event_id, nats_subject, envelope) VALUES ($1, $2, $3::jsonb)`, [
        bareId,
        SubmissionReceived.subject(env.prefix),
        JSON.stringify({ specversion: '1.0', id: bareId, source: 'test', type: SubmissionReceived.type, subject: 'bare-row' }),
      ]);
      const after = await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody() });
      expect(after.status).toBe(201);
      const subjects = async () => (await readEvents(await env.nats(), env.streamName('intake'))).map((e) => e.subject);
      await waitFor(async () => (await subjects()).includes(after.body.id), { what: 'the next event, published after the bare row' });
      expect(await subjects()).toContain('bare-row');
      expect(gw.service.logs.lines.filter((l) => String(l).includes('could not publish'))).toEqual([]);
    } finally {
      await gw.close();
    }
  });

  it('deletes published rows once they are older than OUTBOX_RETENTION_HOURS, and keeps them until then', async () => {
    const keeping = await Gateway.start(env);
    const lab = await keeping.organisation('lab', 'Retention Lab');
    const rowOf = async (id: string) => env.query<{ sent: boolean }>(`SELECT sent_at IS NOT NULL AS sent FROM intake.outbox WHERE envelope->>'subject' = $1`, [id]);
    let kept: string;
    try {
      kept = (await keeping.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody() })).body.id;
      await waitFor(async () => (await rowOf(kept))[0]?.sent, { what: 'the event published' });
      // A day's retention by default: a purge now leaves it.
      await waitFor(() => keeping.service.app.get(OutboxRelay).wakesOnLocalCommit, { what: 'the relay lock' });
      expect(await keeping.service.app.get(OutboxRelay).purgeSent()).toBe(0);
      expect(await rowOf(kept)).toEqual([{ sent: true }]);
    } finally {
      await keeping.close();
    }
    // With no retention, the relay's periodic purge (every 5 s) deletes every published row.
    const purging = await Gateway.start(env, { OUTBOX_RETENTION_HOURS: 0 });
    try {
      const gone = (await purging.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody() })).body.id;
      const eventsOf = async (id: string) => (await readEvents(await env.nats(), env.streamName('intake'))).filter((e) => e.subject === id);
      await waitFor(async () => (await eventsOf(gone)).length === 1, { what: 'the event on the stream' });
      await waitFor(async () => (await rowOf(gone)).length === 0 && (await rowOf(kept)).length === 0, { what: 'the published rows deleted' });
      const [{ unsent }] = await env.query<{ unsent: number }>('SELECT count(*)::int AS unsent FROM intake.outbox WHERE sent_at IS NULL');
      expect(unsent).toBe(0);
    } finally {
      await purging.close();
    }
  });
});
