// The destination policy at call time, for both services that call a lab's model: brokered access (gateway) and
// benchmark runs (runner). A host that has come to resolve to loopback since the submission (DNS rebinding) is
// refused before any connection; a redirect is not followed; an answer past OUTBOUND_MAX_RESPONSE_BYTES is cut off.
// The labs are real HTTP servers on this machine.
import { Receiver, RunningService, ScriptedDns, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, LOOPBACK_LABS, PLACEHOLDER_LAB_HOST, submissionBody } from '../../apps/intake/test/gateway-fixture';
import { migrateSchedulerAndRunner, startRunner, startScheduler } from './benchmark-fixture';

jest.setTimeout(90_000);

const DAY = 24 * 3600 * 1000;
const LAB_KEY = 'sk-destination-lab-key-3f8e';
const ITEMS = 3;
/** The answer cap of these services; the oversized answers below are larger. */
const CAP = 64 * 1024;
const RUNNER_SETTINGS = { RUN_POLL_MS: 50, MODEL_MAX_ATTEMPTS: 2, MODEL_RETRY_BASE_MS: 5, MODEL_RETRY_MAX_MS: 20, MODEL_TIMEOUT_MS: 5000, OUTBOUND_MAX_RESPONSE_BYTES: CAP };

/** A gateway, a scheduler and a runner on one environment, with a lab, a granted agency and a small suite. */
class World {
  readonly receivers: Receiver[] = [];
  lab!: { id: string; key: string };
  agency!: { id: string; key: string };

  private constructor(
    readonly env: TestEnvironment,
    readonly gw: Gateway,
    readonly scheduler: RunningService,
    readonly runner: RunningService,
  ) {}

  static async start(settings: Record<string, unknown>, dns: { gateway?: ScriptedDns; runner?: ScriptedDns } = {}): Promise<World> {
    const env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await migrateSchedulerAndRunner(env);
    const gw = await Gateway.start(env, { ...settings, OUTBOUND_MAX_RESPONSE_BYTES: CAP }, dns.gateway?.lookup);
    const world = new World(env, gw, await startScheduler(env), await startRunner(env, { ...settings, ...RUNNER_SETTINGS }, dns.runner?.lookup));
    world.lab = await gw.organisation('lab', 'Acme AI');
    world.agency = await gw.organisation('agency', 'Granted Agency', 'secret');
    const suite = await gw.call('POST', '/v1/suites', {
      key: gw.operatorKey,
      body: { name: 'destinations', version: '1', classification: 'unclassified', scorer: 'exact', items: Array.from({ length: ITEMS }, (_, i) => ({ id: `t${i}`, input: `Say ${i}`, target: String(i) })) },
    });
    if (suite.status !== 201) throw new Error(`suite refused: ${suite.status} ${suite.text}`);
    return world;
  }

  async receiver(answer: Parameters<typeof Receiver.start>[0]): Promise<Receiver> {
    const r = await Receiver.start(answer);
    this.receivers.push(r);
    return r;
  }

  /** A submission at `baseUrl` whose window opens at once, granted to the agency. */
  async submit(baseUrl: string): Promise<string> {
    const created = await this.gw.call('POST', '/v1/submissions', {
      key: this.lab.key,
      body: submissionBody({
        plannedReleaseAt: new Date(this.env.clock.nowMs() + 10 * DAY).toISOString(),
        earliestAccessAt: undefined,
        endpoint: { baseUrl, modelId: 'acme-frontier-2026-12', apiKey: LAB_KEY },
        declaredTrainingFlop: 1e24,
        agencies: [this.agency.id],
      }),
    });
    if (created.status !== 201) throw new Error(`submission refused: ${created.status} ${created.text}`);
    return created.body.id;
  }

  ask(id: string, body: Record<string, unknown> = {}) {
    return this.gw.call('POST', `/v1/access/${id}/chat/completions`, {
      key: this.agency.key,
      body: { messages: [{ role: 'user', content: 'Say 1' }], ...body },
    });
  }

  /** The agency's first answer once its grant and the open window have reached the gateway. */
  async firstAnswer(id: string, body: Record<string, unknown> = {}) {
    return waitFor(async () => {
      const res = await this.ask(id, body);
      return res.status === 403 || res.status === 409 ? undefined : res;
    }, { what: 'the window to open for the agency' });
  }

  /** The submission's benchmark run, once completed. */
  completedRun(id: string) {
    return waitFor(async () => {
      const runs = await this.gw.call('GET', `/v1/submissions/${id}/runs`, { key: this.gw.operatorKey });
      const run = runs.body?.items?.[0];
      return run?.state === 'completed' ? run : undefined;
    }, { timeoutMs: 30_000, what: 'the run to complete' });
  }

  async dispose(): Promise<void> {
    for (const r of this.receivers) await r.close();
    await this.runner.close();
    await this.scheduler.close();
    await this.env.dispose();
  }
}

/** An OpenAI chat completion whose content is `bytes` long. */
const completion = (bytes: number) => JSON.stringify({ id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(bytes) }, finish_reason: 'stop' }] });

describe('a lab host that resolves to loopback at call time (DNS rebinding), with nothing on the allow-list', () => {
  let world: World;
  // The gateway's DNS says `localhost` is a public address while the lab submits; then the system's answer
  // (loopback) comes back. The runner only ever hears the system's answer.
  const gatewayDns = new ScriptedDns();
  let lab: Receiver;
  let id: string;

  beforeAll(async () => {
    world = await World.start({ OUTBOUND_ALLOWED_HOSTS: PLACEHOLDER_LAB_HOST }, { gateway: gatewayDns });
    lab = await world.receiver(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: completion(1) }));
    gatewayDns.answer('localhost', '93.184.215.14');
    id = await world.submit(`https://localhost:${new URL(lab.origin).port}/v1`);
    gatewayDns.forget('localhost');
  });
  afterAll(() => world?.dispose());

  it('is refused by the broker before connecting: 502 naming the cause, never the credential', async () => {
    const res = await world.firstAnswer(id);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'model_destination_refused', detail: "the lab's endpoint is refused: it resolves to a loopback address, which Vantage does not call" });
    expect(res.text).not.toContain(LAB_KEY);
    expect(res.text).not.toContain('localhost');
    expect(lab.connections).toBe(0);
    const log = await world.gw.call('GET', `/v1/submissions/${id}/access-log`, { key: world.lab.key });
    expect(log.body.items[0]).toMatchObject({ agencyId: world.agency.id, status: 502 });
  });

  it('is refused by the runner before connecting: every trial errored', async () => {
    const run = await world.completedRun(id);
    expect(run).toMatchObject({ total: ITEMS, errored: ITEMS, correct: 0, wrong: 0 });
    expect(lab.connections).toBe(0);
  });
});

describe('redirects and oversized answers from a lab on loopback (allow-listed, as on a developer machine)', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start(LOOPBACK_LABS);
  });
  afterAll(() => world?.dispose());

  async function redirectingLab(): Promise<{ target: Receiver; id: string }> {
    const target = await world.receiver(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: completion(1) }));
    const lab = await world.receiver(() => ({ status: 307, headers: { location: `${target.origin}/v1/chat/completions` } }));
    return { target, id: await world.submit(`${lab.origin}/v1`) };
  }

  it('the broker does not follow a redirect: 502, and the redirect target receives nothing', async () => {
    const { target, id } = await redirectingLab();
    const res = await world.firstAnswer(id);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'model_redirect_refused', detail: "the lab's model answered 307, a redirect, which Vantage does not follow" });
    expect(target.connections).toBe(0);
  });

  it('the runner does not follow a redirect: every trial errored, and the redirect target receives nothing', async () => {
    const { target, id } = await redirectingLab();
    const run = await world.completedRun(id);
    expect(run).toMatchObject({ total: ITEMS, errored: ITEMS });
    expect(target.connections).toBe(0);
  });

  it('the broker cuts off an answer larger than OUTBOUND_MAX_RESPONSE_BYTES: 502', async () => {
    const lab = await world.receiver(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: completion(CAP + 1024) }));
    const id = await world.submit(`${lab.origin}/v1`);
    const res = await world.firstAnswer(id);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'model_answer_too_large' });
    expect(res.body.detail).toContain(`more than ${CAP} bytes`);
    expect(res.text.length).toBeLessThan(CAP);
  });

  it('the broker cuts off a streamed answer larger than OUTBOUND_MAX_RESPONSE_BYTES, tells why and audits 502', async () => {
    const chunk = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'y'.repeat(1000) } }] })}\n\n`;
    const stream = chunk.repeat(Math.ceil((CAP * 2) / chunk.length)) + 'data: [DONE]\n\n';
    const lab = await world.receiver(() => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: stream }));
    const id = await world.submit(`${lab.origin}/v1`);
    const res = await world.firstAnswer(id, { stream: true });
    expect(res.status).toBe(200);
    expect(res.text.length).toBeLessThan(CAP + 2048);
    expect(res.text).not.toContain('[DONE]');
    const last = res.text.trim().split('\n\n').pop()!;
    expect(JSON.parse(last.slice('data: '.length))).toMatchObject({ error: { type: 'upstream_error', code: 'model_answer_too_large' } });
    const log = await waitFor(async () => {
      const l = await world.gw.call('GET', `/v1/submissions/${id}/access-log`, { key: world.lab.key });
      return l.body.items.length ? l.body.items : undefined;
    }, { what: 'the audit of the streamed call' });
    expect(log[0]).toMatchObject({ stream: true, status: 502 });
  });

  it('the runner records a trial whose answer is larger than OUTBOUND_MAX_RESPONSE_BYTES as errored', async () => {
    // Read whole, it would be scored wrong (its content is not the target), not errored.
    const lab = await world.receiver(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: completion(CAP + 1024) }));
    const id = await world.submit(`${lab.origin}/v1`);
    const run = await world.completedRun(id);
    expect(run).toMatchObject({ total: ITEMS, errored: ITEMS, correct: 0, wrong: 0 });
  });
});
