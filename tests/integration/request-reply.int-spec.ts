// Commands and queries over core NATS request-reply: answers, typed errors, and never hanging. The client plays
// the gateway (its identity, every bus right) asking a notifier-shaped service on behalf of an organisation.
import { loadConfig } from '@vantage/config';
import { RpcClient, RpcTimeoutError, RpcUnavailableError } from '@vantage/messaging';
import { BackboneConfig, backboneEntry, Echo, EchoHandlers, RunningService, TestEnvironment, waitFor } from '@vantage/testing';

jest.setTimeout(60_000);

describe('request-reply', () => {
  let env: TestEnvironment;
  let a: RunningService;
  let b: RunningService;
  const entry = backboneEntry([EchoHandlers]);

  beforeAll(async () => {
    env = await TestEnvironment.create();
    await env.migrate(entry);
    const start = () => env.start(entry, { loadConfig: (e) => loadConfig(BackboneConfig, e), module: entry.moduleFor, overrides: { NATS_CREDS_FILE: env.adminCredsFile } });
    a = await start();
    b = await start();
    gateway = await env.rpcClientAs('intake');
  });
  afterAll(() => env?.dispose());

  let gateway: RpcClient;
  const caller = { orgId: 'agency-1', kind: 'agency' as const, clearance: 'secret' as const };
  const ask = (data: { text: string }, opts: { timeoutMs?: number } = {}) => gateway.request(Echo, data, { caller, ...opts });

  it('answers with the value and sees who is calling', async () => {
    const reply = await ask({ text: 'hello' });
    expect(reply).toMatchObject({ echoed: 'hello', caller });
  });

  it('spreads requests over the replicas and answers each once', async () => {
    const [beforeA, beforeB] = [a.app.get(EchoHandlers).answered, b.app.get(EchoHandlers).answered];
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => ask({ text: `n${i}` })));
    const [byA, byB] = [a.app.get(EchoHandlers).answered - beforeA, b.app.get(EchoHandlers).answered - beforeB];
    expect(byA + byB).toBe(40);
    // A queue group picks one member per request: with 40 requests both replicas take a share.
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    expect(replies.map((r) => r.echoed)).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`));
  });

  it('carries a domain error with its code and status', async () => {
    await expect(ask({ text: 'missing' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  it('refuses a request that breaks its contract, naming the field', async () => {
    await expect(ask({ text: 'x'.repeat(50) })).rejects.toMatchObject({
      code: 'validation_failed',
      status: 400,
      errors: [expect.objectContaining({ field: 'text' })],
    });
  });

  it('hides the text of an unexpected failure', async () => {
    const error = await ask({ text: 'boom' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'internal', status: 500 });
    expect(error.message).not.toContain('secret');
  });

  it('says unavailable, which callers retry, when the service cannot reach its database', async () => {
    const error = await ask({ text: 'outage' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(error.message).not.toContain('secret');
  });

  it('gives up after its timeout instead of hanging', async () => {
    const error = await ask({ text: 'hang' }, { timeoutMs: 300 }).catch((e) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error.status).toBe(504);
    const handlers = [a.app.get(EchoHandlers), b.app.get(EchoHandlers)];
    await waitFor(() => handlers.some((h) => h.hanging.length > 0));
    for (const h of handlers) h.hanging.splice(0).forEach((release) => release());
  });

  it('says unavailable at once when no service answers the subject', async () => {
    await a.close();
    await b.close();
    const error = await ask({ text: 'anyone?' }, { timeoutMs: 5000 }).catch((e) => e);
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect(error.status).toBe(503);
  });
});
