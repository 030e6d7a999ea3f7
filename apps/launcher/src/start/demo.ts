// The walkthrough `npm start` prints once everything is ready: a demo lab submits the demo lab model, its access
// window opens, and a demo agency asks the model a question. Only the gateway's public HTTP API is used, as a lab
// and an agency would use it. The demo is not the system: a failed step is a warning (and a failed --check).
import { dim, green, say, warn } from './log';
import { readStateJson, statePath, writeStateJson } from './state';
import { pollUntil, WaitTimeoutError } from './wait';

export const DEMO_STATE_FILE = 'demo.json';
export const DEMO_LAB_NAME = 'Demo Lab';
export const DEMO_AGENCY_NAME = 'Demo Agency';
export const DEMO_QUESTION = 'Task: compute 37 + 45. Answer with the number only.';
const DAY_MS = 24 * 3600 * 1000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface DemoOrg {
  id: string;
  key: string;
}

/** What .vantage/demo.json keeps between runs: the demo organisations and their API keys. */
export interface DemoState {
  lab: DemoOrg;
  agency: DemoOrg;
  submissionId?: string;
  /** The Idempotency-Key of the last submission; reused on the same day (it may be a fresh one, see submit). */
  idempotencyKey?: string;
}

export interface DemoInput {
  /** The gateway: http://<host>:<PORT>. */
  gatewayUrl: string;
  operatorKey: string;
  /** The demo lab model's base URL; its OpenAI-compatible API root is `${simulatorUrl}/v1`. */
  simulatorUrl: string;
  /** The key Vantage is given for the demo lab model; it is never printed. */
  simulatorKey: string;
  modelId: string;
  now?: () => Date;
  windowTimeoutMs?: number;
  askTimeoutMs?: number;
}

export type DemoResult = { ok: true } | { ok: false; step: string; reason: string };

/** The day (UTC) of a run: the same-day Idempotency-Key and planned release are derived from it. */
export function demoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** `demo-<YYYY-MM-DD>`: restarting on the same day replays the same submission instead of making another. */
export function demoIdempotencyKey(now: Date): string {
  return `demo-${demoDay(now)}`;
}

/** A key used once, when the day's key was taken by another body (a changed simulator URL, for instance). */
export function freshIdempotencyKey(now: Date): string {
  return `demo-${now.getTime()}`;
}

/**
 * The demo lab's submission. The release is planned ten days after the start of the run's day (UTC), so the body —
 * and with it the Idempotency-Key's answer — stays the same all day, and the window opens at once.
 */
export function demoSubmissionBody(input: { simulatorUrl: string; simulatorKey: string; modelId: string; agencyId: string; now: Date }) {
  const dayStart = Date.parse(`${demoDay(input.now)}T00:00:00Z`);
  return {
    model: { name: 'acme-frontier', version: 'demo' },
    plannedReleaseAt: new Date(dayStart + 10 * DAY_MS).toISOString(),
    endpoint: { baseUrl: `${input.simulatorUrl.replace(/\/+$/, '')}/v1`, modelId: input.modelId, apiKey: input.simulatorKey },
    agencies: [input.agencyId],
  };
}

export function demoChatBody() {
  return { messages: [{ role: 'user', content: DEMO_QUESTION }] };
}

/** A string as one POSIX shell word. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Two commands the user can paste: the window as the lab sees it, and a question to the model as the agency. */
export function curlLines(input: { gatewayUrl: string; submissionId: string; labKey: string; agencyKey: string }): string[] {
  const base = input.gatewayUrl.replace(/\/+$/, '');
  return [
    `curl -s -H ${shellQuote(`Authorization: Bearer ${input.labKey}`)} ${shellQuote(`${base}/v1/submissions/${input.submissionId}/window`)}`,
    `curl -s -H ${shellQuote(`Authorization: Bearer ${input.agencyKey}`)} -H 'Content-Type: application/json' ` +
      `-d ${shellQuote(JSON.stringify(demoChatBody()))} ${shellQuote(`${base}/v1/access/${input.submissionId}/chat/completions`)}`,
  ];
}

export interface HttpAnswer {
  /** 0 when no answer came (refused, timed out). */
  status: number;
  body: any;
  text: string;
}

/** `HTTP 409 idempotency_key_reused: this Idempotency-Key was used…` from a problem+json answer (or whatever came). */
export function describeAnswer(a: HttpAnswer): string {
  if (a.status === 0) return `no answer (${a.text})`;
  const body = a.body && typeof a.body === 'object' ? (a.body as Record<string, unknown>) : undefined;
  const code = typeof body?.code === 'string' ? ` ${body.code}` : '';
  const detail = typeof body?.detail === 'string' ? body.detail : a.text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `HTTP ${a.status}${code}${detail ? `: ${detail}` : ''}`;
}

/** Whether .vantage/demo.json holds what the demo needs. */
export function isDemoState(value: unknown): value is DemoState {
  const org = (o: unknown) => !!o && typeof o === 'object' && typeof (o as DemoOrg).id === 'string' && typeof (o as DemoOrg).key === 'string';
  return !!value && typeof value === 'object' && org((value as DemoState).lab) && org((value as DemoState).agency);
}

class DemoStepError extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
  ) {
    super(`${step}: ${reason}`);
  }
}

async function call(gatewayUrl: string, method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  try {
    const res = await fetch(`${gatewayUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { status: 0, body: undefined, text: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}

function expectStatus(step: string, answer: HttpAnswer, status: number): any {
  if (answer.status !== status) throw new DemoStepError(step, describeAnswer(answer));
  return answer.body;
}

/** Whether a kept key still works: 200 yes, 401 no (a fresh database, a revoked key); anything else is a failure. */
async function keyWorks(step: string, gatewayUrl: string, key: string, path: string): Promise<boolean> {
  const a = await call(gatewayUrl, 'GET', path, key);
  if (a.status === 200) return true;
  if (a.status === 401) return false;
  throw new DemoStepError(step, describeAnswer(a));
}

/** The demo lab and agency with their keys: those kept in .vantage/demo.json if the keys still work, else new ones. */
async function demoOrganisations(input: DemoInput): Promise<{ state: DemoState; created: boolean }> {
  const step = 'creating the demo organisations';
  const kept = readStateJson<unknown>(DEMO_STATE_FILE);
  if (isDemoState(kept)) {
    const works =
      (await keyWorks(step, input.gatewayUrl, kept.lab.key, '/v1/submissions?limit=1')) &&
      (await keyWorks(step, input.gatewayUrl, kept.agency.key, '/v1/windows'));
    if (works) return { state: kept, created: false };
  }
  const create = async (body: Record<string, string>): Promise<DemoOrg> => {
    const org = expectStatus(`${step} (POST /v1/orgs ${body.name})`, await call(input.gatewayUrl, 'POST', '/v1/orgs', input.operatorKey, body), 201);
    const key = expectStatus(`${step} (POST /v1/orgs/{id}/keys)`, await call(input.gatewayUrl, 'POST', `/v1/orgs/${org.id}/keys`, input.operatorKey, {}), 201);
    return { id: org.id, key: key.key };
  };
  const lab = await create({ name: DEMO_LAB_NAME, kind: 'lab' });
  const agency = await create({ name: DEMO_AGENCY_NAME, kind: 'agency', clearance: 'secret' });
  const state: DemoState = { lab, agency };
  writeStateJson(DEMO_STATE_FILE, state);
  return { state, created: true };
}

/** Whether an Idempotency-Key is one of the day's: `demo-<day>`, or a fresh `demo-<ms>` made that day. */
export function isKeyOfDay(key: string | undefined, now: Date): key is string {
  if (!key) return false;
  if (key === demoIdempotencyKey(now)) return true;
  const ms = /^demo-(\d{13,})$/.exec(key)?.[1];
  return ms !== undefined && demoDay(new Date(Number(ms))) === demoDay(now);
}

/**
 * Submits as the lab under today's Idempotency-Key (the day's, or the fresh one kept from an earlier run today), so
 * a restart replays it; under a fresh key when `fresh`, or when today's key was used with another body.
 */
async function submit(input: DemoInput, orgs: DemoState, now: Date, fresh: boolean): Promise<{ id: string; key: string; replayed: boolean }> {
  const step = 'submitting the demo model (POST /v1/submissions)';
  const body = demoSubmissionBody({ simulatorUrl: input.simulatorUrl, simulatorKey: input.simulatorKey, modelId: input.modelId, agencyId: orgs.agency.id, now });
  const post = (key: string) => call(input.gatewayUrl, 'POST', '/v1/submissions', orgs.lab.key, body, { 'idempotency-key': key });
  let key = fresh ? freshIdempotencyKey(now) : isKeyOfDay(orgs.idempotencyKey, now) ? orgs.idempotencyKey : demoIdempotencyKey(now);
  let answer = await post(key);
  if (!fresh && answer.status === 409 && answer.body?.code === 'idempotency_key_reused') {
    key = freshIdempotencyKey(now);
    answer = await post(key);
  }
  const created = expectStatus(step, answer, 201);
  return { id: created.id, key, replayed: created.id === orgs.submissionId };
}

interface WindowView {
  state: string;
  opensAt: string;
  closesAt: string;
  grants?: { agencyId: string; state: string }[];
}

/** Polls the window as the lab until it is open; `ended` when it already closed or was cancelled. */
async function openWindow(input: DemoInput, orgs: DemoState, submissionId: string): Promise<{ window: WindowView; ended: boolean }> {
  const step = `waiting for the access window (GET /v1/submissions/${submissionId}/window)`;
  const timeoutMs = input.windowTimeoutMs ?? 15_000;
  let last: HttpAnswer | undefined;
  try {
    await pollUntil(
      async () => {
        last = await call(input.gatewayUrl, 'GET', `/v1/submissions/${submissionId}/window`, orgs.lab.key);
        return last.status === 200 && ['open', 'closed', 'cancelled'].includes(last.body?.state);
      },
      { what: 'the window opening', timeoutMs, intervalMs: 250 },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    const seen = last?.status === 200 ? `still ${last.body?.state}` : last ? describeAnswer(last) : 'no answer';
    throw new DemoStepError(step, `not open after ${timeoutMs / 1000} s (${seen})`);
  }
  const window = last!.body as WindowView;
  return { window, ended: window.state !== 'open' };
}

/** Asks the model as the agency; 403/409 are retried a moment, while the gateway's read model catches up with the window. */
async function ask(input: DemoInput, orgs: DemoState, submissionId: string): Promise<string> {
  const step = `asking the model as the agency (POST /v1/access/${submissionId}/chat/completions)`;
  const timeoutMs = input.askTimeoutMs ?? 5000;
  let last: HttpAnswer | undefined;
  try {
    await pollUntil(
      async () => {
        last = await call(input.gatewayUrl, 'POST', `/v1/access/${submissionId}/chat/completions`, orgs.agency.key, demoChatBody());
        return last.status !== 403 && last.status !== 409;
      },
      { what: 'an answer', timeoutMs, intervalMs: 250 },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
  }
  const body = expectStatus(step, last!, 200);
  const content = body?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new DemoStepError(step, `HTTP 200 without choices[0].message.content: ${last!.text.slice(0, 200)}`);
  return content;
}

/** Runs the walkthrough and prints it. Never throws: a failed step is printed as a warning and returned. */
export async function runDemo(input: DemoInput): Promise<DemoResult> {
  const now = (input.now ?? (() => new Date()))();
  const step = (n: number, text: string) => say(`  ${green(`${n}.`)} ${text}`);
  say(`demo walkthrough ${dim('(the gateway\'s public API, as a lab and as an agency)')}:`);
  try {
    const { state: orgs, created } = await demoOrganisations(input);
    step(1, `lab "${DEMO_LAB_NAME}" and agency "${DEMO_AGENCY_NAME}" (clearance secret), each with an API key ${dim(`(${created ? 'created' : 'kept'}; ${statePath(DEMO_STATE_FILE)})`)}`);

    let submission = await submit(input, orgs, now, false);
    let opened = await openWindow(input, orgs, submission.id);
    if (opened.ended) {
      // Today's submission was withdrawn, released or closed since: submit again, under a fresh key.
      submission = await submit(input, orgs, now, true);
      opened = await openWindow(input, orgs, submission.id);
      if (opened.ended) throw new DemoStepError('waiting for the access window', `the new window is ${opened.window.state}`);
    }
    writeStateJson(DEMO_STATE_FILE, { ...orgs, submissionId: submission.id, idempotencyKey: submission.key });
    step(2, `the lab submitted acme-frontier (demo), served by the demo lab model: submission ${submission.id}${submission.replayed ? dim(' (today\'s, replayed)') : ''}`);
    const w = opened.window;
    const grants = (w.grants ?? []).map((g) => `${g.agencyId === orgs.agency.id ? DEMO_AGENCY_NAME : g.agencyId} ${g.state}`).join(', ') || 'none';
    step(3, `its access window is open: ${w.opensAt} → ${w.closesAt}; grants: ${grants}`);

    const answer = await ask(input, orgs, submission.id);
    step(4, `${DEMO_AGENCY_NAME} asked the model through the gateway "${DEMO_QUESTION}": it answered ${green(JSON.stringify(answer.trim()))} ${dim('(the demo model is right about 9 times in 10)')}`);

    say(`try it yourself ${dim('(the demo lab\'s and agency\'s keys)')}:`);
    const lines = curlLines({ gatewayUrl: input.gatewayUrl, submissionId: submission.id, labKey: orgs.lab.key, agencyKey: orgs.agency.key });
    process.stdout.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
    return { ok: true };
  } catch (err) {
    const e = err instanceof DemoStepError ? err : new DemoStepError('the walkthrough', (err as Error).message);
    warn(`demo: ${e.step} failed: ${e.reason}`);
    return { ok: false, step: e.step, reason: e.reason };
  }
}
