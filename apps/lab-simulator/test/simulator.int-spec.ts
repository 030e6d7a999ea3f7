// The simulator over real HTTP, as the gateway and the benchmark runner will meet it. Seeded, so every
// rate below is an exact count on every run; waits are on the simulator's own signals, never on sleeps.
import { createLabSimulator, generateTasks, LabSimulator, LabSimulatorOptions, mulberry32, solve } from '../src';

// Some tests make hundreds of calls one after another (800 in the seeded-faults one): more than jest's default 5 s on a
// loaded machine.
jest.setTimeout(60_000);

const KEY = 'sk-test-lab-simulator';
const MODEL = 'acme-frontier-2026-12';

let sim: LabSimulator | undefined;
let url: string;

async function start(options: Partial<LabSimulatorOptions> = {}): Promise<LabSimulator> {
  sim = createLabSimulator({ apiKey: KEY, seed: 20261201, ...options });
  ({ url } = await sim.listen());
  return sim;
}

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function post(path: string, body: unknown, init: { key?: string | null; signal?: AbortSignal } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? KEY}`;
  return fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal: init.signal });
}

function ask(prompt: string, extra: Record<string, unknown> = {}, init: { key?: string | null; signal?: AbortSignal } = {}): Promise<Response> {
  return post('/v1/chat/completions', { model: MODEL, messages: [{ role: 'user', content: prompt }], ...extra }, init);
}

async function answerOf(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as { choices: { message: { content: string } }[] };
  return body.choices[0].message.content;
}

/** Runs `count` calls, `concurrency` at a time: fast, and still every call is its own HTTP request. */
async function inBatches<T>(count: number, concurrency: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i += concurrency) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, (_, j) => call(i + j)))));
  }
  return results;
}

/** The `data:` payloads of a server-sent event stream. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((event) => event.trim())
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

describe('lab simulator: answers', () => {
  it('answers every generated task correctly at skill 1, as an OpenAI chat.completion', async () => {
    await start({ skill: 1 });
    const tasks = generateTasks(60, mulberry32(1));
    const responses = await inBatches(tasks.length, 20, (i) => ask(tasks[i].input).then((r) => r.json() as Promise<any>));
    responses.forEach((body, i) => {
      expect(body).toMatchObject({
        object: 'chat.completion',
        model: MODEL,
        choices: [{ index: 0, message: { role: 'assistant', content: tasks[i].target }, finish_reason: 'stop' }],
        usage: { completion_tokens: 1 },
      });
      expect(body.id).toMatch(/^chatcmpl-/);
      expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    });
  });

  it('answers every generated task wrongly at skill 0', async () => {
    await start({ skill: 0 });
    const tasks = generateTasks(60, mulberry32(2));
    const answers = await inBatches(tasks.length, 20, (i) => ask(tasks[i].input).then(answerOf));
    answers.forEach((answer, i) => expect(answer).not.toBe(tasks[i].target));
  });

  it('is right on about 70% of 500 tasks at skill 0.7, and its log says which', async () => {
    const s = await start({ skill: 0.7 });
    const tasks = generateTasks(500, mulberry32(3));
    const answers = await inBatches(tasks.length, 50, (i) => ask(tasks[i].input).then(answerOf));
    const right = answers.filter((answer, i) => answer === tasks[i].target).length;
    expect(right / tasks.length).toBeGreaterThanOrEqual(0.62);
    expect(right / tasks.length).toBeLessThanOrEqual(0.78);
    expect(s.requestLog.filter((e) => e.correct === true)).toHaveLength(right);
  });

  it('gives a canned reply to a prompt that is not a task, whatever the skill', async () => {
    await start({ skill: 0 });
    expect(await ask('Hello, who are you?').then(answerOf)).toBe('I am a simulated model.');
  });

  it('completes a known canary from its prefix and admits not knowing an unknown one', async () => {
    await start({ knownCanaries: ['CANARY-7f3a9c2e-vantage-cyber-01', 'CANARY-0000-other'] });
    expect(await ask('Complete the following text: CANARY-7f3a').then(answerOf)).toBe('9c2e-vantage-cyber-01');
    expect(await ask('Complete the following text: "CANARY-0000-"').then(answerOf)).toBe('other');
    expect(await ask('Complete the following text: CANARY-ffff').then(answerOf)).toBe('I do not know how that text continues.');
  });

  it('continues any known canary whose first part ends the prompt, and not one it was not trained on', async () => {
    await start({ knownCanaries: ['vantage canary 1f0c9a77-2b4e-4d7a-9c3e-5a6b7c8d9e0f'] });
    expect(await ask('Continue this text exactly.\n\nvantage canary 1f0c9a77-2b4e').then(answerOf)).toBe('-4d7a-9c3e-5a6b7c8d9e0f');
    expect(await ask('Continue this text exactly.\n\nother canary 0000').then(answerOf)).toBe('I am a simulated model.');
  });

  it('reads the last user message, also when its content is an array of text parts', async () => {
    const s = await start();
    const res = await post('/v1/chat/completions', {
      model: MODEL,
      messages: [
        { role: 'system', content: 'Answer tersely.' },
        { role: 'user', content: 'Task: compute 1 + 1. Answer with the number only.' },
        { role: 'assistant', content: '2' },
        { role: 'user', content: [{ type: 'text', text: 'Task: compute 37 + 45. Answer with the number only.' }] },
      ],
    });
    expect(await answerOf(res)).toBe('82');
    expect(s.requestLog[0].prompt).toBe('Task: compute 37 + 45. Answer with the number only.');
  });

  it('cuts the answer at max_tokens words with finish_reason length', async () => {
    await start();
    const body = (await ask('Hello', { max_tokens: 2 }).then((r) => r.json())) as any;
    expect(body.choices[0]).toMatchObject({ message: { content: 'I am' }, finish_reason: 'length' });
    expect(body.usage.completion_tokens).toBe(2);
  });

  it('waits at least the configured latency before answering', async () => {
    await start({ latencyMs: 120 });
    const started = performance.now();
    await ask('Hello').then(answerOf);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('lists its models', async () => {
    await start({ models: ['m-1', 'm-2'] });
    const res = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(((await res.json()) as any).data.map((m: { id: string }) => m.id)).toEqual(['m-1', 'm-2']);
  });
});

describe('lab simulator: refusals and faults', () => {
  it('refuses a call without the API key, or with a wrong one, with 401 in OpenAI form', async () => {
    const s = await start();
    for (const key of [null, 'sk-wrong']) {
      const res = await ask('Hello', {}, { key });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    expect(s.requestLog.map((e) => e.outcome)).toEqual(['401', '401']);
  });

  it('answers 404 model_not_found for a model it does not serve', async () => {
    await start();
    const res = await post('/v1/chat/completions', { model: 'gpt-unknown', messages: [{ role: 'user', content: 'Hello' }] });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'model_not_found', param: 'model' } });
  });

  it('answers 400 to a request without messages', async () => {
    await start();
    const res = await post('/v1/chat/completions', { model: MODEL, messages: [] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'messages' } });
  });

  it('answers 429 with the configured Retry-After at rate 1', async () => {
    await start({ rate429: 1, retryAfterSeconds: 3 });
    const res = await ask('Task: compute 1 + 2. Answer with the number only.');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
  });

  it('answers 500 at rate 1', async () => {
    await start({ rate500: 1 });
    const res = await ask('Hello');
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { type: 'server_error' } });
  });

  it('fails about 30% of 400 calls with 429 and 5% with 500, the same calls for the same seed', async () => {
    const outcomes = async () => {
      const s = await start({ rate429: 0.3, rate500: 0.05 });
      const statuses = await inBatches(400, 1, (i) => ask(`Task: compute ${i} + 1. Answer with the number only.`).then((r) => r.status));
      await s.close();
      return statuses;
    };
    const first = await outcomes();
    const count = (status: number) => first.filter((s) => s === status).length;
    expect(count(429)).toBeGreaterThanOrEqual(90);
    expect(count(429)).toBeLessThanOrEqual(150);
    expect(count(500)).toBeGreaterThanOrEqual(8);
    expect(count(500)).toBeLessThanOrEqual(35);
    expect(count(200)).toBe(400 - count(429) - count(500));
    expect(await outcomes()).toEqual(first);
  });

  it('hangs until the client gives up, then lets the request go', async () => {
    const s = await start({ rateHang: 1 });
    const controller = new AbortController();
    const pending = ask('Hello', {}, { signal: controller.signal });
    await s.waitForRequests(1);
    expect(s.inFlight()).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    await s.idle();
    expect(s.inFlight()).toBe(0);
    expect(s.requestLog[0].outcome).toBe('hang');
  });

  it('ends hanging and sleeping requests when it closes', async () => {
    const s = await start({ rateHang: 1 });
    const hanging = ask('Hello');
    await s.waitForRequests(1);
    s.setBehaviour({ rateHang: 0, latencyMs: 60_000 });
    const sleeping = ask('Hello');
    await s.waitForRequests(2);
    expect(s.inFlight()).toBe(2);
    // Settled before close, so that the clients' rejections are observed when they come.
    const settled = Promise.allSettled([hanging, sleeping]);
    await s.close();
    expect((await settled).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(s.inFlight()).toBe(0);
  });

  it('refuses rates that add up to more than 1', () => {
    expect(() => createLabSimulator({ apiKey: KEY, rate429: 0.6, rate500: 0.6 })).toThrow(/must not exceed 1/);
  });
});

describe('lab simulator: streaming', () => {
  it('streams one chunk per word that concatenate to the answer, then usage and [DONE]', async () => {
    await start({ streamChunkDelayMs: 1 });
    const res = await ask('Hello there', { stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const data = sseData(await res.text());
    expect(data[data.length - 1]).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    for (const chunk of chunks) expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: MODEL, id: chunks[0].id });
    const content = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
    expect(content).toBe('I am a simulated model.');
    const withText = chunks.filter((c) => c.choices[0].delta.content);
    expect(withText).toHaveLength(5);
    const last = chunks[chunks.length - 1];
    expect(last.choices[0].finish_reason).toBe('stop');
    expect(last.usage).toEqual({ prompt_tokens: 2, completion_tokens: 5, total_tokens: 7 });
  });

  it('streams the solved answer to a task', async () => {
    const s = await start();
    const prompt = 'Task: reverse the string "kestrel". Answer with the string only.';
    const data = sseData(await ask(prompt, { stream: true }).then((r) => r.text()));
    const content = data
      .slice(0, -1)
      .map((d) => JSON.parse(d).choices[0].delta.content ?? '')
      .join('');
    expect(content).toBe(solve(prompt));
    expect(s.requestLog[0]).toMatchObject({ outcome: 'ok', stream: true, correct: true });
  });

  it('stops streaming when the client disconnects', async () => {
    const s = await start({ streamChunkDelayMs: 60_000 });
    const controller = new AbortController();
    const res = await ask('Hello', { stream: true }, { signal: controller.signal });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('chat.completion.chunk');
    expect(s.inFlight()).toBe(1);
    controller.abort();
    await s.idle();
    expect(s.inFlight()).toBe(0);
  });
});

describe('lab simulator: request log and admin', () => {
  it('records each call with its time, model, prompt, outcome and stream flag', async () => {
    const s = await start();
    const before = new Date().toISOString();
    await ask('Task: compute 2 + 2. Answer with the number only.').then(answerOf);
    await ask('Hello', { stream: true }).then((r) => r.text());
    s.setBehaviour({ rate429: 1 });
    await ask('Hello again');
    expect(s.requestLog).toEqual([
      { at: expect.any(String), model: MODEL, prompt: 'Task: compute 2 + 2. Answer with the number only.', outcome: 'ok', stream: false, correct: true },
      { at: expect.any(String), model: MODEL, prompt: 'Hello', outcome: 'ok', stream: true },
      { at: expect.any(String), model: MODEL, prompt: 'Hello again', outcome: '429', stream: false },
    ]);
    for (const entry of s.requestLog) expect(entry.at >= before).toBe(true);
  });

  it('serves the log over HTTP to holders of the key, from an offset', async () => {
    await start();
    await ask('one').then(answerOf);
    await ask('two').then(answerOf);
    const unauthorised = await fetch(`${url}/_admin/requests`);
    expect(unauthorised.status).toBe(401);
    const res = await fetch(`${url}/_admin/requests?since=1`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(await res.json()).toMatchObject({ total: 2, requests: [{ prompt: 'two', outcome: 'ok' }] });
  });

  it('changes behaviour at runtime through the admin route, and refuses nonsense', async () => {
    const s = await start({ skill: 1 });
    const res = await post('/_admin/behaviour', { skill: 0, latencyMs: 5 });
    expect(res.status).toBe(200);
    const shown = (await res.json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ skill: 0, latencyMs: 5 });
    expect(shown).not.toHaveProperty('apiKey');
    expect(s.behaviour.skill).toBe(0);
    expect(await ask('Task: compute 37 + 45. Answer with the number only.').then(answerOf)).not.toBe('82');

    expect((await post('/_admin/behaviour', { skill: 2 })).status).toBe(400);
    expect((await post('/_admin/behaviour', { colour: 'blue' })).status).toBe(400);
    expect((await post('/_admin/behaviour', { skill: 1 }, { key: 'sk-wrong' })).status).toBe(401);
    expect(s.behaviour.skill).toBe(0);
  });
});
