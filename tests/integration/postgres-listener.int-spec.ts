// NOTIFY wake-ups and the sessions that hang on them survive a lost connection: the listener comes back by
// itself, and the outbox relay (which holds its lock on that connection) goes on publishing.
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
});
