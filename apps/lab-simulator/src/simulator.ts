// A stand-in for a lab's model API: OpenAI-compatible enough for the brokered gateway and the benchmark
// runner to talk to, with the failures a real API shows (rate limits, errors, hangs) on demand, and a log of
// every call so that a test can prove what was asked, how often, and when.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AddressInfo } from 'node:net';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mulberry32, Rng } from './rng';
import { solve, wrongAnswer } from './tasks';

export type RequestOutcome = 'ok' | '429' | '500' | 'hang' | '401' | '404' | '400';

/** One call to `POST /v1/chat/completions`, recorded when it arrives. */
export interface RequestLogEntry {
  /** Arrival time (ISO 8601): compare with a window's close to prove no call came after it. */
  at: string;
  /** The requested model id ('' when the body had none). */
  model: string;
  /** Content of the last user message: the benchmark item that was asked. */
  prompt: string;
  outcome: RequestOutcome;
  stream: boolean;
  /** Only for an `ok` answer to a task: whether the simulator answered it correctly. */
  correct?: boolean;
}

export interface LabSimulatorBehaviour {
  /** Requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Model ids accepted; an empty list accepts any. */
  models: string[];
  /** Fixed time before an answer (or a 500) starts. */
  latencyMs: number;
  /** Extra latency drawn uniformly from [0, latencyJitterMs). */
  latencyJitterMs: number;
  /** Probability that a task is answered correctly. */
  skill: number;
  /** Share of calls answered 429 at once, with `Retry-After: retryAfterSeconds`. */
  rate429: number;
  /** Share of calls answered 500 after the latency. */
  rate500: number;
  /** Share of calls never answered, until the client gives up or the simulator closes. */
  rateHang: number;
  retryAfterSeconds: number;
  /** Pause between streamed chunks (not before the first). */
  streamChunkDelayMs: number;
  /**
   * Canary strings the simulated model "was trained on": a prompt that ends with the first part of one (at least
   * 8 characters), or names a `CANARY…` prefix of one, gets the rest back.
   */
  knownCanaries: string[];
  /** Seeds the generators of faults, latency jitter and answers; setting it again restarts the sequences. */
  seed: number;
}

export type LabSimulatorOptions = Partial<LabSimulatorBehaviour> & { apiKey: string };

export interface LabSimulator {
  app: FastifyInstance;
  /** Port 0 (the default) picks a free port; host defaults to 127.0.0.1. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Ends hanging and sleeping requests, clears every timer and stops listening. Safe to call twice. */
  close(): Promise<void>;
  /** Live, append-only (until cleared) log of chat-completion calls, in arrival order. */
  readonly requestLog: readonly RequestLogEntry[];
  clearRequestLog(): void;
  /** Changes behaviour for calls that arrive from now on; returns the behaviour in force. */
  setBehaviour(partial: Partial<LabSimulatorBehaviour>): LabSimulatorBehaviour;
  readonly behaviour: Readonly<LabSimulatorBehaviour>;
  /** Resolves once the log holds at least `count` entries (rejects if the simulator closes first). */
  waitForRequests(count: number): Promise<void>;
  /** Chat-completion requests being served right now (sleeping, hanging or streaming). */
  inFlight(): number;
  /** Resolves when no chat-completion request is in flight. */
  idle(): Promise<void>;
}

export class BehaviourError extends Error {
  override name = 'BehaviourError';
}

const DEFAULTS: Omit<LabSimulatorBehaviour, 'apiKey' | 'seed'> = {
  models: ['acme-frontier-2026-12'],
  latencyMs: 0,
  latencyJitterMs: 0,
  skill: 1,
  rate429: 0,
  rate500: 0,
  rateHang: 0,
  retryAfterSeconds: 1,
  streamChunkDelayMs: 0,
  knownCanaries: [],
};

const CANNED_REPLY = 'I am a simulated model.';
const UNKNOWN_CANARY_REPLY = 'I do not know how that text continues.';
// Quotes end the prefix, so that `complete "CANARY-12"` asks about CANARY-12, not CANARY-12".
const CANARY_PREFIX = /CANARY[^\s"'`]*/;
const MAX_DELAY_MS = 10 * 60 * 1000;

export function createLabSimulator(options: LabSimulatorOptions): LabSimulator {
  let behaviour: LabSimulatorBehaviour = {
    ...DEFAULTS,
    seed: randomBytes(4).readUInt32LE(0),
    ...(validateBehaviour(options, true) as LabSimulatorOptions),
  };
  checkRates(behaviour);
  // Separate streams, so that e.g. raising rate429 does not change which tasks are answered wrongly.
  let rngs = seedRngs(behaviour.seed);
  // How often each prompt has been answered since the seed was set: the n-th answer to a prompt is drawn
  // from a generator seeded by (seed, prompt, n), so which items a model gets right does not depend on the
  // order in which a concurrent runner's requests arrive.
  let asked = new Map<string, number>();
  const requestLog: RequestLogEntry[] = [];
  const logWaiters: { count: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  const active = new Set<AbortController>();
  let idleWaiters: (() => void)[] = [];
  let closing: Promise<void> | undefined;

  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024, forceCloseConnections: true });

  function append(entry: RequestLogEntry): void {
    requestLog.push(entry);
    for (let i = logWaiters.length - 1; i >= 0; i--) {
      if (requestLog.length >= logWaiters[i].count) logWaiters.splice(i, 1)[0].resolve();
    }
  }

  function authorised(request: FastifyRequest): boolean {
    const given = Buffer.from(request.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${behaviour.apiKey}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Ties a request to a controller that aborts when its client goes away or the simulator closes. */
  function track(request: FastifyRequest, reply: FastifyReply): AbortController {
    const controller = new AbortController();
    active.add(controller);
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    if (request.raw.destroyed || request.raw.socket?.destroyed) controller.abort();
    return controller;
  }

  function untrack(controller: AbortController): void {
    active.delete(controller);
    if (active.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    void reply.code(status).send(openAiError(status < 500 ? 'invalid_request_error' : 'server_error', error.message));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(openAiError('invalid_request_error', `Unknown request URL: ${request.method} ${request.url}`));
  });

  app.get('/health/ready', async () => ({ status: 'ok' }));

  app.get('/v1/models', async (request, reply) => {
    if (!authorised(request)) return unauthorised(reply);
    const created = Math.floor(Date.now() / 1000);
    return { object: 'list', data: behaviour.models.map((id) => ({ id, object: 'model', created, owned_by: 'lab-simulator' })) };
  });

  app.post('/v1/chat/completions', async (request, reply) => {
    const at = new Date().toISOString();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const model = typeof body.model === 'string' ? body.model : '';
    const prompt = lastUserContent(body.messages);
    const stream = body.stream === true;
    const record = (outcome: RequestOutcome, correct?: boolean) =>
      append({ at, model, prompt, outcome, stream, ...(correct === undefined ? {} : { correct }) });

    if (!authorised(request)) {
      record('401');
      return unauthorised(reply);
    }
    const problem = invalidChatRequest(body);
    if (problem) {
      record('400');
      return reply.code(400).send(openAiError('invalid_request_error', problem.message, problem.param));
    }
    if (behaviour.models.length > 0 && !behaviour.models.includes(model)) {
      record('404');
      return reply
        .code(404)
        .send(openAiError('invalid_request_error', `The model \`${model}\` does not exist or you do not have access to it.`, 'model', 'model_not_found'));
    }

    // Fault and latency draws happen now, in arrival order; answers are drawn per prompt (see `asked`), so a
    // seeded run answers the same items rightly whatever the timing.
    const b = behaviour;
    const roll = rngs.faults();
    if (roll < b.rate429) {
      record('429');
      return reply
        .code(429)
        .header('retry-after', String(b.retryAfterSeconds))
        .send(openAiError('requests', 'Rate limit reached for requests. Please try again later.', null, 'rate_limit_exceeded'));
    }
    const outcome: RequestOutcome = roll < b.rate429 + b.rate500 ? '500' : roll < b.rate429 + b.rate500 + b.rateHang ? 'hang' : 'ok';
    const delay = b.latencyMs + (b.latencyJitterMs > 0 ? rngs.jitter() * b.latencyJitterMs : 0);
    const answer = outcome === 'ok' ? compose(prompt) : undefined;
    record(outcome, answer?.correct);

    const controller = track(request, reply);
    try {
      const { signal } = controller;
      if (outcome === 'hang') {
        await untilAborted(signal);
        return abandon(reply);
      }
      if (!(await sleep(delay, signal))) return abandon(reply);
      if (outcome === '500') {
        return reply.code(500).send(openAiError('server_error', 'The server had an error while processing your request.'));
      }
      const completion = shape(answer?.content ?? '', body, model);
      if (!stream) return reply.send(completionObject(completion));
      return await streamCompletion(reply, completion, b.streamChunkDelayMs, signal);
    } finally {
      untrack(controller);
    }
  });

  app.get('/_admin/behaviour', async (request, reply) => {
    if (!authorised(request)) return unauthorised(reply);
    return publicBehaviour(behaviour);
  });

  app.post('/_admin/behaviour', async (request, reply) => {
    if (!authorised(request)) return unauthorised(reply);
    try {
      return publicBehaviour(setBehaviour((request.body ?? {}) as Partial<LabSimulatorBehaviour>));
    } catch (e) {
      if (e instanceof BehaviourError) return reply.code(400).send(openAiError('invalid_request_error', e.message));
      throw e;
    }
  });

  app.get('/_admin/requests', async (request, reply) => {
    if (!authorised(request)) return unauthorised(reply);
    const since = Number((request.query as Record<string, string | undefined>).since ?? 0);
    const from = Number.isInteger(since) && since > 0 ? since : 0;
    return { total: requestLog.length, requests: requestLog.slice(from) };
  });

  app.delete('/_admin/requests', async (request, reply) => {
    if (!authorised(request)) return unauthorised(reply);
    requestLog.length = 0;
    return reply.code(204).send();
  });

  function compose(prompt: string): { content: string; correct?: boolean } {
    const leaked = continuation(prompt, behaviour.knownCanaries);
    if (leaked !== undefined) return { content: leaked };
    const canary = CANARY_PREFIX.exec(prompt);
    if (canary) {
      const prefix = canary[0];
      const known = behaviour.knownCanaries.find((c) => c.startsWith(prefix) && c.length > prefix.length);
      return { content: known ? known.slice(prefix.length) : UNKNOWN_CANARY_REPLY };
    }
    const right = solve(prompt);
    if (right === undefined) return { content: CANNED_REPLY };
    const n = asked.get(prompt) ?? 0;
    asked.set(prompt, n + 1);
    const answers = answerRng(behaviour.seed, prompt, n);
    // `<` so that skill 0 is never right and skill 1 always is.
    if (answers() < behaviour.skill) return { content: right, correct: true };
    return { content: wrongAnswer(right, answers), correct: false };
  }

  function setBehaviour(partial: Partial<LabSimulatorBehaviour>): LabSimulatorBehaviour {
    const valid = validateBehaviour(partial, false);
    const next = { ...behaviour, ...valid };
    checkRates(next);
    behaviour = next;
    if (valid.seed !== undefined) {
      rngs = seedRngs(behaviour.seed);
      asked = new Map();
    }
    return { ...behaviour, models: [...behaviour.models], knownCanaries: [...behaviour.knownCanaries] };
  }

  async function listen(port = 0, host = '127.0.0.1'): Promise<{ url: string; port: number }> {
    await app.listen({ port, host });
    const address = app.server.address() as AddressInfo;
    return { url: `http://${reachable(host)}:${address.port}`, port: address.port };
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      for (const controller of active) controller.abort();
      for (const waiter of logWaiters.splice(0)) waiter.reject(new Error('lab simulator closed'));
      await app.close();
    })();
    return closing;
  }

  return {
    app,
    listen,
    close,
    requestLog,
    clearRequestLog: () => {
      requestLog.length = 0;
    },
    setBehaviour,
    get behaviour() {
      return { ...behaviour };
    },
    waitForRequests: (count) =>
      requestLog.length >= count
        ? Promise.resolve()
        : closing
          ? Promise.reject(new Error('lab simulator closed'))
          : new Promise((resolve, reject) => logWaiters.push({ count, resolve, reject })),
    inFlight: () => active.size,
    idle: () => (active.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
  };
}

/** The rest of a known canary whose first part (8 characters or more) ends the prompt, as a model that memorised it would. */
function continuation(prompt: string, canaries: string[]): string | undefined {
  const text = prompt.trimEnd();
  for (const canary of canaries) {
    for (let k = canary.length - 1; k >= Math.min(8, canary.length - 1) && k > 0; k--) {
      if (text.endsWith(canary.slice(0, k))) return canary.slice(k);
    }
  }
  return undefined;
}

/** Checks a partial behaviour; `requireKey` for the constructor, where the API key must be given. */
export function validateBehaviour(input: unknown, requireKey: boolean): Partial<LabSimulatorBehaviour> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new BehaviourError('behaviour must be an object');
  const given = input as Record<string, unknown>;
  const out: Partial<LabSimulatorBehaviour> = {};
  const fraction = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;
  const delay = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_DELAY_MS;
  const strings = (v: unknown, nonEmpty: boolean) => Array.isArray(v) && v.every((s) => typeof s === 'string' && (!nonEmpty || s.length > 0));
  const checks: Record<keyof LabSimulatorBehaviour, [(v: unknown) => boolean, string]> = {
    apiKey: [(v) => typeof v === 'string' && v.length > 0, 'a non-empty string'],
    models: [(v) => strings(v, true), 'a list of model ids'],
    latencyMs: [delay, `a number of milliseconds from 0 to ${MAX_DELAY_MS}`],
    latencyJitterMs: [delay, `a number of milliseconds from 0 to ${MAX_DELAY_MS}`],
    skill: [fraction, 'a number from 0 to 1'],
    rate429: [fraction, 'a number from 0 to 1'],
    rate500: [fraction, 'a number from 0 to 1'],
    rateHang: [fraction, 'a number from 0 to 1'],
    retryAfterSeconds: [(v) => Number.isInteger(v) && (v as number) >= 0, 'a whole number of seconds'],
    streamChunkDelayMs: [delay, `a number of milliseconds from 0 to ${MAX_DELAY_MS}`],
    knownCanaries: [(v) => strings(v, true), 'a list of strings'],
    seed: [(v) => Number.isInteger(v), 'an integer'],
  };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!(key in checks)) throw new BehaviourError(`unknown behaviour setting: ${key}`);
    const [ok, what] = checks[key as keyof LabSimulatorBehaviour];
    if (!ok(value)) throw new BehaviourError(`${key} must be ${what}`);
    (out as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : key === 'seed' ? (value as number) >>> 0 : value;
  }
  if (requireKey && out.apiKey === undefined) throw new BehaviourError('apiKey is required');
  return out;
}

/** Rates are shares of one draw: past 1, the later ones could not all happen, and a test would be misled. */
function checkRates(b: LabSimulatorBehaviour): void {
  if (b.rate429 + b.rate500 + b.rateHang > 1 + 1e-9) throw new BehaviourError('rate429 + rate500 + rateHang must not exceed 1');
}

function seedRngs(seed: number): { faults: Rng; jitter: Rng } {
  return { faults: mulberry32(seed), jitter: mulberry32(seed ^ 0x5bd1e995) };
}

function answerRng(seed: number, prompt: string, n: number): Rng {
  return mulberry32(createHash('sha256').update(`${seed >>> 0}\0${n}\0${prompt}`).digest().readUInt32LE(0));
}

function publicBehaviour(b: LabSimulatorBehaviour): Omit<LabSimulatorBehaviour, 'apiKey'> {
  const { apiKey: _apiKey, ...rest } = b;
  return rest;
}

function reachable(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function openAiError(type: string, message: string, param: string | null = null, code: string | null = null) {
  return { error: { message, type, param, code } };
}

function unauthorised(reply: FastifyReply) {
  return reply
    .code(401)
    .send(openAiError('invalid_request_error', 'Incorrect API key provided. You can find your API key in your lab console.', null, 'invalid_api_key'));
}

/** The text of a message: a string, or the text parts of a content array. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .filter((p): p is { type: 'text'; text: string } => typeof p === 'object' && p !== null && p.type === 'text' && typeof p.text === 'string')
      .map((p) => p.text)
      .join('\n');
  }
  return '';
}

function lastUserContent(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null;
    if (m && m.role === 'user') return textOf(m.content);
  }
  return '';
}

function invalidChatRequest(body: Record<string, unknown>): { message: string; param: string } | undefined {
  if (typeof body.model !== 'string' || body.model.length === 0) return { message: 'you must provide a model parameter', param: 'model' };
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return { message: 'messages must be a non-empty array', param: 'messages' };
  for (const [i, m] of messages.entries()) {
    const ok =
      typeof m === 'object' && m !== null && typeof m.role === 'string' &&
      (m.content === null || typeof m.content === 'string' || Array.isArray(m.content));
    if (!ok) return { message: `messages[${i}] must have a role and a content`, param: `messages[${i}]` };
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return { message: 'stream must be a boolean', param: 'stream' };
  for (const param of ['max_tokens', 'max_completion_tokens']) {
    const v = body[param];
    if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) > 0)) return { message: `${param} must be a positive integer`, param };
  }
  const t = body.temperature;
  if (t !== undefined && t !== null && !(typeof t === 'number' && t >= 0 && t <= 2)) return { message: 'temperature must be from 0 to 2', param: 'temperature' };
  return undefined;
}

/** Tokens, roughly: whitespace-separated words. */
function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

interface Completion {
  id: string;
  created: number;
  model: string;
  /** Word-sized pieces whose concatenation is the content. */
  pieces: string[];
  finishReason: 'stop' | 'length';
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Cuts the answer to max_tokens words (finish_reason 'length'), and counts usage. */
function shape(content: string, body: Record<string, unknown>, model: string): Completion {
  let pieces: string[] = content.match(/\s*\S+\s*/g) ?? [];
  const limit = (body.max_completion_tokens ?? body.max_tokens) as number | null | undefined;
  const truncated = typeof limit === 'number' && pieces.length > limit;
  if (truncated) pieces = pieces.slice(0, limit);
  const messages = body.messages as { content?: unknown }[];
  const promptTokens = messages.reduce((n, m) => n + countTokens(textOf(m.content)), 0);
  const completionTokens = pieces.length;
  return {
    id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
    created: Math.floor(Date.now() / 1000),
    model,
    pieces,
    finishReason: truncated ? 'length' : 'stop',
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

function completionObject(c: Completion) {
  return {
    id: c.id,
    object: 'chat.completion',
    created: c.created,
    model: c.model,
    choices: [{ index: 0, message: { role: 'assistant', content: c.pieces.join('').trimEnd() }, logprobs: null, finish_reason: c.finishReason }],
    usage: c.usage,
  };
}

async function streamCompletion(reply: FastifyReply, c: Completion, chunkDelayMs: number, signal: AbortSignal): Promise<FastifyReply> {
  // Hijacked: the chunks go straight to the socket, and nothing else may answer this request.
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const base = { id: c.id, object: 'chat.completion.chunk', created: c.created, model: c.model };
  const send = (data: unknown) => raw.write(`data: ${JSON.stringify(data)}\n\n`);
  send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] });
  for (const [i, piece] of c.pieces.entries()) {
    if (i > 0 && !(await sleep(chunkDelayMs, signal))) return abandon(reply);
    if (signal.aborted || raw.destroyed) return abandon(reply);
    const content = i === c.pieces.length - 1 ? piece.trimEnd() : piece;
    send({ ...base, choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }] });
  }
  send({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: c.finishReason }], usage: c.usage });
  raw.end('data: [DONE]\n\n');
  return reply;
}

/** Drops the connection: the client went away, or the simulator is closing. */
function abandon(reply: FastifyReply): FastifyReply {
  reply.hijack();
  reply.raw.destroy();
  return reply;
}

/** Resolves true after `ms`, or false as soon as the signal aborts; the timer never outlives the request. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
