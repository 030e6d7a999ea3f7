import { traceIdOf } from '@vantage/contracts';
import { jsonOf, ObservedApp, startObservedApp } from '../test/observed-app-fixture';
import { ThingsController } from '../test/things-fixture';

const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const incomingTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('HTTP tracing and request logs', () => {
  let probe: ObservedApp;
  beforeEach(async () => {
    probe = await startObservedApp({ controllers: [ThingsController] });
  });
  afterEach(() => probe.close());

  it('continues the incoming trace: the response echoes it and the request’s log lines carry its trace id', async () => {
    const res = await fetch(`${probe.url}/things/7`, { headers: { traceparent: incoming } });

    expect(res.headers.get('traceparent')).toBe(incoming);
    expect(res.headers.get('x-correlation-id')).toBe(incomingTraceId);
    expect(await jsonOf(res)).toEqual({ id: '7', traceparent: incoming });
    const appLine = await probe.nextLog((l) => l.msg === 'fetched thing');
    expect(appLine).toMatchObject({ service: 'probe-service', context: 'ThingsController', traceId: incomingTraceId, correlationId: incomingTraceId });
    const completion = await probe.nextLog((l) => l.msg === 'request completed' && l.req?.url === '/things/7');
    expect(completion).toMatchObject({ traceId: incomingTraceId, res: { statusCode: 200 } });
  });

  it('starts a new trace when the request brings none, and echoes it with the caller’s correlation id', async () => {
    const res = await fetch(`${probe.url}/things/8`, { headers: { 'x-correlation-id': 'batch-2026-01' } });

    const traceparent = res.headers.get('traceparent')!;
    expect(traceIdOf(traceparent)).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers.get('x-correlation-id')).toBe('batch-2026-01');
    const appLine = await probe.nextLog((l) => l.msg === 'fetched thing' && l.id === '8');
    expect(appLine).toMatchObject({ traceId: traceIdOf(traceparent), correlationId: 'batch-2026-01' });
  });

  it('logs an unhandled error with the trace of the request that raised it, and still echoes the trace', async () => {
    const res = await fetch(`${probe.url}/things/11`, { method: 'DELETE', headers: { traceparent: incoming } });

    expect(res.status).toBe(500);
    expect(res.headers.get('traceparent')).toBe(incoming);
    const errorLine = await probe.nextLog((l) => l.level === 'error' && l.err?.message === 'the disk holding thing 11 is on fire');
    expect(errorLine.traceId).toBe(incomingTraceId);
    const completion = await probe.nextLog((l) => l.msg === 'request errored' && l.req?.method === 'DELETE');
    expect(completion).toMatchObject({ level: 'error', traceId: incomingTraceId, res: { statusCode: 500 } });
  });

  it('keeps the trace through JSON body parsing to the controller', async () => {
    const res = await fetch(`${probe.url}/things`, {
      method: 'POST',
      headers: { traceparent: incoming, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(256 * 1024) }),
    });
    expect(res.status).toBe(201);
    expect(await jsonOf(res)).toMatchObject({ traceparent: incoming, correlationId: incomingTraceId });
  });

  it('keeps concurrent requests in their own traces', async () => {
    const traceparents = Array.from({ length: 20 }, (_, i) => `00-${i.toString(16).padStart(32, 'a')}-00f067aa0ba902b7-01`);
    const seen = await Promise.all(
      traceparents.map(async (traceparent, i) => (await jsonOf(await fetch(`${probe.url}/things/${i}`, { headers: { traceparent } }))).traceparent),
    );
    expect(seen).toEqual(traceparents);
  });

  it('censors an apiKey in a logged object and the authorization header of the request', async () => {
    await fetch(`${probe.url}/things/9`, { headers: { authorization: 'Bearer vk_secret_token' } });

    const appLine = await probe.nextLog((l) => l.msg === 'fetched thing' && l.id === '9');
    expect(appLine.endpoint).toEqual({ url: 'https://lab.example/v1', apiKey: '[REDACTED]' });
    const completion = await probe.nextLog((l) => l.msg === 'request completed' && l.req?.url === '/things/9');
    expect(completion.req.headers.authorization).toBe('[REDACTED]');
    const everything = JSON.stringify(probe.logs);
    expect(everything).not.toContain('sk-live-123');
    expect(everything).not.toContain('vk_secret_token');
  });

  it('does not log request bodies', async () => {
    await fetch(`${probe.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'body-marker' }) });
    await probe.nextLog((l) => l.msg === 'request completed' && l.req?.method === 'POST');
    expect(JSON.stringify(probe.logs)).not.toContain('body-marker');
  });

  it('does not log probes and scrapes', async () => {
    await fetch(`${probe.url}/health/live`);
    await fetch(`${probe.url}/health/ready`);
    await fetch(`${probe.url}/metrics`);
    await fetch(`${probe.url}/things/10`);
    await probe.nextLog((l) => l.msg === 'request completed' && l.req?.url === '/things/10');
    const logged = probe.logs.filter((l) => l.msg === 'request completed').map((l) => l.req.url);
    expect(logged).toEqual(['/things/10']);
  });
});
