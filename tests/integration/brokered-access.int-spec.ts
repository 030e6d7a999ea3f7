// Brokered model access against the lab simulator: the gateway adds the lab's credential, checks grants
// from its read model on every call, cuts access off when the window ends, and audits every call.
import { IncomingMessage, request } from 'node:http';
import { AppModule as SchedulerModule, loadWindowSchedulerConfig, WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { createLabSimulator, LabSimulator } from '@vantage/apps/lab-simulator';
import { RunningService, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, LOOPBACK_LABS, submissionBody } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(90_000);

const DAY = 24 * 3600 * 1000;

/** A POST over a connection of its own: a pooled one left open would hold a replica's shutdown. */
function postOnce(url: string, key: string, body: unknown): Promise<{ status?: number; contentType?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, contentType: res.headers['content-type'], text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
const LAB_KEY = 'sk-lab-simulator-secret-91b2';

describe('brokered model access', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let scheduler: RunningService;
  let sim: LabSimulator;
  let simUrl: string;
  let lab: { id: string; key: string };
  let granted: { id: string; key: string };
  let other: { id: string; key: string };

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await env.migrate(WINDOW_SCHEDULER);
    gw = await Gateway.start(env, LOOPBACK_LABS);
    scheduler = await env.start(WINDOW_SCHEDULER, {
      loadConfig: (e) => loadWindowSchedulerConfig(e), module: (c, o) => SchedulerModule.forRoot(c, o), overrides: { TIMER_POLL_MS: 50 },
    });
    sim = createLabSimulator({ apiKey: LAB_KEY, models: ['acme-frontier-2026-12'], latencyMs: 0, skill: 1, seed: 7 });
    simUrl = (await sim.listen()).url;
    lab = await gw.organisation('lab', 'Acme AI');
    granted = await gw.organisation('agency', 'Granted Agency', 'secret');
    other = await gw.organisation('agency', 'Other Agency', 'secret');
  });
  afterAll(async () => {
    await sim?.close();
    await scheduler?.close();
    await env?.dispose();
  });

  async function openWindow(extra: Record<string, unknown> = {}): Promise<string> {
    const created = await gw.call('POST', '/v1/submissions', {
      key: lab.key,
      body: submissionBody({
        plannedReleaseAt: new Date(env.clock.nowMs() + 10 * DAY).toISOString(),
        earliestAccessAt: undefined,
        endpoint: { baseUrl: `${simUrl}/v1`, modelId: 'acme-frontier-2026-12', apiKey: LAB_KEY },
        agencies: [granted.id],
        ...extra,
      }),
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }
  const ask = (id: string, key: string, body: Record<string, unknown> = {}) =>
    gw.call('POST', `/v1/access/${id}/chat/completions`, {
      key,
      body: { model: 'anything', messages: [{ role: 'user', content: 'Task: compute 37 + 45. Answer with the number only.' }], ...body },
    });
  const callable = async (id: string) => (await ask(id, granted.key)).status === 200;

  it("answers a granted agency through the lab's endpoint without ever showing it the lab's key", async () => {
    const id = await openWindow();
    await waitFor(() => callable(id), { what: 'the window to open for the agency' });
    const answer = await ask(id, granted.key);
    expect(answer.status).toBe(200);
    expect(answer.body.choices[0].message.content).toBe('82');
    expect(answer.body.usage.total_tokens).toBeGreaterThan(0);
    expect(answer.text).not.toContain(LAB_KEY);
    // The lab's model saw its own model id, whatever the agency asked for.
    expect(sim.requestLog[sim.requestLog.length - 1]).toMatchObject({ model: 'acme-frontier-2026-12', outcome: 'ok' });
  });

  it('streams the answer as server-sent events', async () => {
    const id = await openWindow();
    await waitFor(() => callable(id));
    const res = await fetch(`${gw.url}/v1/access/${id}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${granted.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Task: reverse the string "kestrel". Answer with the string only.' }], stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const content = text.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? '').join('');
    expect(content.trim()).toBe('lertsek');
    expect(text).toContain('data: [DONE]');
  });

  it('refuses an agency without a grant (403) and a call before the window opens (409)', async () => {
    const id = await openWindow();
    await waitFor(() => callable(id));
    expect((await ask(id, other.key)).status).toBe(403);
    expect((await ask(id, lab.key)).status).toBe(403);
    expect((await ask('0192f0a0-0000-7000-8000-00000000beef', granted.key)).status).toBe(403);

    const later = await openWindow({ earliestAccessAt: new Date(env.clock.nowMs() + 2 * DAY).toISOString() });
    await waitFor(async () => (await ask(later, granted.key)).status === 409, { what: 'the scheduled window in the read model' });
    const early = await ask(later, granted.key);
    expect(early.body).toMatchObject({ status: 409, code: 'window_not_open' });
  });

  it('refuses the next call within one second of a withdrawal, and ends a stream in flight', async () => {
    const id = await openWindow();
    await waitFor(() => callable(id));
    sim.setBehaviour({ streamChunkDelayMs: 100 });
    try {
      const res = await fetch(`${gw.url}/v1/access/${id}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${granted.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Tell me a long story about kestrels and the sea and the wind.' }], stream: true }),
      });
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      const withdrawn = await gw.call('POST', `/v1/submissions/${id}/withdraw`, { key: lab.key });
      expect(withdrawn.status).toBe(200);
      expect((await ask(id, granted.key)).status).toBe(409);
      let rest = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        rest += new TextDecoder().decode(value);
      }
      expect(rest).toContain('access_ended');
      expect(rest).not.toContain('[DONE]');
    } finally {
      sim.setBehaviour({ streamChunkDelayMs: 0 });
    }
  });

  const streamFrom = (url: string, id: string, key: string) =>
    fetch(`${url}/v1/access/${id}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Tell me a long story about kestrels and the sea and the wind.' }], stream: true }),
    });
  const readRest = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return rest;
      rest += new TextDecoder().decode(value);
    }
  };

  it('ends a stream in flight within one second of its key being revoked, on another replica too', async () => {
    const id = await openWindow();
    await waitFor(() => callable(id));
    const other = await gw.replica();
    sim.setBehaviour({ streamChunkDelayMs: 100 });
    try {
      const issued = (await gw.call('POST', `/v1/orgs/${granted.id}/keys`, { key: gw.operatorKey })).body as { id: string; key: string };
      const res = await streamFrom(other.url, id, issued.key);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      expect((await reader.read()).done).toBe(false);

      expect((await gw.call('DELETE', `/v1/orgs/${granted.id}/keys/${issued.id}`, { key: gw.operatorKey })).status).toBe(204);
      const revokedAt = Date.now();
      const rest = await readRest(reader);
      expect(Date.now() - revokedAt).toBeLessThan(1000);
      expect(rest).toContain('key_revoked');
      expect(rest).not.toContain('[DONE]');
      // The agency's other key goes on.
      expect((await ask(id, granted.key)).status).toBe(200);
    } finally {
      sim.setBehaviour({ streamChunkDelayMs: 0 });
      await other.close();
    }
  });

  it('refuses one stream more than MAX_STREAMS_PER_KEY for a key with a 429 problem, before calling the lab', async () => {
    const id = await openWindow();
    await waitFor(() => callable(id));
    const capped = await gw.replica({ MAX_STREAMS_PER_KEY: 1 });
    sim.setBehaviour({ streamChunkDelayMs: 100 });
    try {
      // Over a connection of its own, destroyed at the end: an aborted fetch can keep its connection (and so the
      // replica's shutdown) until the lab's story is over.
      const first = request(`${capped.url}/v1/access/${id}/chat/completions`, {
        method: 'POST', agent: false, headers: { authorization: `Bearer ${granted.key}`, 'content-type': 'application/json' },
      });
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        first.on('response', resolve).on('error', reject);
        first.end(JSON.stringify({ messages: [{ role: 'user', content: 'Tell me a long story about kestrels.' }], stream: true }));
      });
      expect(answer.statusCode).toBe(200);
      await new Promise((resolve) => answer.once('data', resolve));
      const calls = sim.requestLog.length;
      const second = await postOnce(`${capped.url}/v1/access/${id}/chat/completions`, granted.key, {
        messages: [{ role: 'user', content: 'Tell me a story.' }], stream: true,
      });
      expect(second.status).toBe(429);
      expect(second.contentType).toContain('application/problem+json');
      expect(JSON.parse(second.text)).toMatchObject({ status: 429, code: 'too_many_streams' });
      expect(sim.requestLog.length).toBe(calls);
      // A call that does not stream is not a stream.
      const plain = await postOnce(`${capped.url}/v1/access/${id}/chat/completions`, granted.key, {
        messages: [{ role: 'user', content: 'Task: compute 37 + 45. Answer with the number only.' }],
      });
      expect(plain.status).toBe(200);
      first.destroy();
    } finally {
      sim.setBehaviour({ streamChunkDelayMs: 0 });
      await capped.close();
    }
  });

  it('stops access within one second of the scheduled close', async () => {
    const id = await openWindow({ plannedReleaseAt: new Date(env.clock.nowMs() + 2 * DAY).toISOString() });
    await waitFor(() => callable(id));
    env.clock.advance(2 * DAY);
    await waitFor(async () => (await ask(id, granted.key)).status === 409, { timeoutMs: 1000, intervalMs: 20, what: 'the refusal after the close' });
  });

  it('reports a failing lab endpoint as 502 and keeps an audit the lab can read', async () => {
    const id = await openWindow();
    await waitFor(() => callable(id));
    sim.setBehaviour({ rate500: 1 });
    try {
      const failed = await ask(id, granted.key);
      expect(failed.status).toBe(502);
      expect(failed.body).toMatchObject({ code: 'model_unavailable' });
    } finally {
      sim.setBehaviour({ rate500: 0 });
    }
    const log = await gw.call('GET', `/v1/submissions/${id}/access-log`, { key: lab.key });
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ agencyId: granted.id, status: 502 });
    expect(log.body.items.some((i: any) => i.status === 200 && i.promptTokens > 0 && i.completionTokens > 0)).toBe(true);
    expect((await gw.call('GET', `/v1/submissions/${id}/access-log`, { key: granted.key })).status).toBe(403);
  });
});
