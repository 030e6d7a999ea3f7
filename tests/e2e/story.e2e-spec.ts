// The programme's story, with every service as its own process: an operator enrols a lab and two agencies;
// the lab submits a model served by the lab simulator; the window opens and the agencies use brokered access;
// the runner scores the model on a secret suite and classifies it (the lab sees the decision, the secret agency
// the run and the suite behind the decision, the unclassified agency neither);
// two agencies report the same bug found with that model and it becomes one case; the vendor is matched and
// notified; the lab reschedules, then declares release; the window closes and access stops; the case reaches
// its disclosure deadline (the clearinghouse's clock is moved 91 days on: VANTAGE_TEST_CLOCK) and is disclosed,
// and its advisory exported. Each organisation's webhook receiver sees exactly the events it is
// entitled to, each once, in causal order per entity. Every message on the bus, on every subject, is watched
// throughout: the lab's credential never crosses it in clear.
import { Webhook } from 'standardwebhooks';
import { BENCHMARK_RUNNER } from '@vantage/apps/benchmark-runner';
import { createLabSimulator, generateTasks, LabSimulator, mulberry32 } from '@vantage/apps/lab-simulator';
import { INTAKE } from '@vantage/apps/intake';
import { NOTIFIER } from '@vantage/apps/notifier';
import { VULN_CLEARINGHOUSE } from '@vantage/apps/vuln-clearinghouse';
import { WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { Audience, EventEnvelope } from '@vantage/contracts';
import { issueApiKey } from '@vantage/crypto';
import { readEvents, Receiver, ServiceProcess, shiftServiceClock, TestEnvironment, waitFor } from '@vantage/testing';

jest.setTimeout(240_000);

const DAY = 24 * 3600 * 1000;
const LAB_KEY = 'sk-story-lab-credential';

interface Org {
  id: string;
  key: string;
  kind: 'lab' | 'agency' | 'clearinghouse' | 'operator';
  clearance?: 'unclassified' | 'cui' | 'secret' | 'top-secret';
  receiver: Receiver;
  secret: string;
  /** When its subscription began: it is entitled to events from then on. */
  subscribedAt: string;
}

describe('the programme, end to end', () => {
  let env: TestEnvironment;
  let sim: LabSimulator;
  let simUrl: string;
  const processes: ServiceProcess[] = [];
  const receivers: Receiver[] = [];
  const operatorKey = issueApiKey('story-operator').key;
  let gateway: string;
  /** Every message on every subject of the account, headers and body, as a sniffer with every right sees them. */
  const onTheBus: { subject: string; text: string }[] = [];

  beforeAll(async () => {
    env = await TestEnvironment.create(new Date().toISOString());
    const sniffer = (await env.nats()).subscribe('>');
    void (async () => {
      const decoder = new TextDecoder();
      for await (const m of sniffer) {
        const headers = m.headers ? [...m.headers.keys()].map((k) => `${k}: ${m.headers!.values(k).join(',')}`).join('\n') : '';
        onTheBus.push({ subject: m.subject, text: `${headers}\n${decoder.decode(m.data)}` });
      }
    })();
    for (const entry of [INTAKE, WINDOW_SCHEDULER, BENCHMARK_RUNNER, VULN_CLEARINGHOUSE, NOTIFIER]) await env.migrate(entry);
    // The lab simulator and the webhook receivers are on loopback, over plain http, as on a developer's machine.
    const loopback = { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost' };
    const intake = await ServiceProcess.start(env, 'intake', { ...loopback, VANTAGE_BOOTSTRAP_OPERATOR_KEY: operatorKey });
    processes.push(intake);
    processes.push(await ServiceProcess.start(env, 'window-scheduler', { TIMER_POLL_MS: 100 }));
    processes.push(await ServiceProcess.start(env, 'benchmark-runner', { ...loopback, RUN_POLL_MS: 100, RUN_PROGRESS_INTERVAL_MS: 200 }));
    processes.push(await ServiceProcess.start(env, 'vuln-clearinghouse', { TIMER_POLL_MS: 100, VANTAGE_TEST_CLOCK: 'true' }));
    processes.push(await ServiceProcess.start(env, 'notifier', { ...loopback, WEBHOOK_POLL_MS: 50 }));
    gateway = intake.url;
    sim = createLabSimulator({ apiKey: LAB_KEY, models: ['story-model'], latencyMs: 0, skill: 1, seed: 3 });
    simUrl = (await sim.listen()).url;
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    for (const p of processes) await p.stop();
    await sim?.close();
    await env?.dispose();
  });

  async function call(method: string, path: string, key: string, body?: unknown) {
    const res = await fetch(`${gateway}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  }

  async function enrol(name: string, kind: Org['kind'], clearance?: Org['clearance']): Promise<Org> {
    const org = await call('POST', '/v1/orgs', operatorKey, { name, kind, ...(clearance ? { clearance } : {}) });
    expect(org.status).toBe(201);
    const key = (await call('POST', `/v1/orgs/${org.body.id}/keys`, operatorKey)).body.key;
    const receiver = await Receiver.start(() => ({ status: 204 }));
    receivers.push(receiver);
    let secret = '';
    let subscribedAt = new Date().toISOString();
    if (kind === 'lab' || kind === 'agency') {
      // The notifier learns of the organisation from its event; until then a subscription may not be tied to it.
      const sub = await waitFor(async () => {
        const r = await call('POST', '/v1/subscriptions', key, { url: receiver.url, types: ['gov.vantage.*'] });
        return r.status === 201 ? r : undefined;
      }, { what: `${name}'s subscription` });
      secret = sub.body.secret;
      subscribedAt = sub.body.createdAt;
    }
    return { id: org.body.id, key, kind, clearance, receiver, secret, subscribedAt };
  }

  it('runs the whole story, and every organisation sees exactly its events, once, in order per entity', async () => {
    const lab = await enrol('Acme AI', 'lab');
    const secretAgency = await enrol('Agency S', 'agency', 'secret');
    const openAgency = await enrol('Agency U', 'agency', 'unclassified');
    const analyst = await enrol('Clearinghouse', 'clearinghouse');
    const vendorOrg = await enrol('Libfoo maintainers', 'lab');

    // The programme's benchmark: a secret suite that counts toward the frontier decision.
    const tasks = generateTasks(40, mulberry32(2026));
    const suite = await call('POST', '/v1/suites', operatorKey, {
      name: 'story-suite', version: '1', classification: 'secret', scorer: 'exact', threshold: 0.7,
      items: tasks.map((t, i) => ({ id: `s${i}`, ...t })),
    });
    expect(suite.status).toBe(201);

    // The lab submits; the release is 10 days away, so the window opens at once.
    const submission = await call('POST', '/v1/submissions', lab.key, {
      model: { name: 'story-model', version: '1' },
      plannedReleaseAt: new Date(Date.now() + 10 * DAY).toISOString(),
      endpoint: { baseUrl: `${simUrl}/v1`, modelId: 'story-model', apiKey: LAB_KEY },
      agencies: [secretAgency.id, openAgency.id],
    });
    expect(submission.status).toBe(201);
    const id = submission.body.id;
    const ask = (who: Org) => call('POST', `/v1/access/${id}/chat/completions`, who.key, {
      messages: [{ role: 'user', content: 'Task: compute 20 + 22. Answer with the number only.' }],
    });
    const answer = await waitFor(async () => {
      const a = await ask(secretAgency);
      return a.status === 200 ? a : undefined;
    }, { what: 'brokered access for the secret agency' });
    expect(answer.body.choices[0].message.content).toBe('42');
    await waitFor(async () => (await ask(openAgency)).status === 200, { what: 'brokered access for the other agency' });

    // The runner scored the model while the window was open and classified it: frontier, on the suite's lower bound.
    // The lab learns that it is frontier, not on which suite (a secret one); the secret agency it granted sees the suite.
    const decision = await waitFor(async () => {
      const c = await call('GET', `/v1/submissions/${id}/classification`, lab.key);
      return c.status === 200 ? c.body : undefined;
    }, { what: 'the frontier decision', timeoutMs: 60_000 });
    expect(decision).toMatchObject({ frontier: true, suites: [] });
    expect(JSON.stringify(decision)).not.toContain('story-suite');
    expect((await call('GET', `/v1/submissions/${id}/classification`, secretAgency.key)).body).toMatchObject({
      frontier: true, suites: [expect.objectContaining({ name: 'story-suite', version: '1', classification: 'secret' })],
    });
    const runs = await call('GET', `/v1/submissions/${id}/runs`, secretAgency.key);
    expect(runs.body.items).toEqual([expect.objectContaining({ state: 'completed', total: 40, correct: 40, errored: 0 })]);
    expect((await call('GET', `/v1/submissions/${id}/runs`, openAgency.key)).body.items).toEqual([]);

    // Two agencies find the same bug with the model: one case, two finders; the vendor is matched.
    const vendor = await call('POST', '/v1/vendors', analyst.key, { name: 'Libfoo', purlPrefixes: ['pkg:npm/libfoo'], contactUrl: 'mailto:sec@libfoo.example', orgId: vendorOrg.id });
    expect(vendor.status).toBe(201);
    const finding = (who: Org) => call('POST', '/v1/findings', who.key, {
      title: 'Heap overflow in libfoo parse_header',
      description: 'A long header overflows a fixed buffer.',
      affected: [{ purl: 'pkg:npm/libfoo', versions: { introduced: '1.2.0', fixed: '1.4.1' } }],
      cwe: 'CWE-122',
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      location: { file: 'src/parse.c', function: 'parse_header' },
      discoveredWith: { model: 'story-model', submissionId: id, tool: 'brokered access' },
    });
    const first = await finding(secretAgency);
    const second = await finding(openAgency);
    expect(first.body.duplicate).toBe(false);
    expect(second.body).toMatchObject({ duplicate: true, caseId: first.body.caseId });
    const caseId = first.body.caseId;
    for (const to of ['triaged', 'vendor-notified']) expect((await call('POST', `/v1/cases/${caseId}/transitions`, analyst.key, { to, note: to })).status).toBe(200);

    // The lab reschedules, then declares the release: the window closes and access stops.
    expect((await call('PATCH', `/v1/submissions/${id}`, lab.key, { plannedReleaseAt: new Date(Date.now() + 12 * DAY).toISOString() })).status).toBe(200);
    expect((await call('POST', `/v1/submissions/${id}/release`, lab.key, {})).status).toBe(200);
    await waitFor(async () => (await call('GET', `/v1/submissions/${id}/window`, lab.key)).body?.state === 'closed', { what: 'the window to close' });
    expect((await ask(secretAgency)).status).toBe(409);

    // 91 days on, the case reaches its disclosure deadline (90 days from the report) while still embargoed.
    const nc = await env.nats();
    await shiftServiceClock(env, 'vuln-clearinghouse', 91 * DAY);
    const reached = await waitFor(async () =>
      (await readEvents(nc, env.streamName('vuln'))).find((e) => e.type === 'gov.vantage.vuln.case.deadline-reached.v1' && e.subject === caseId),
    { what: 'case.deadline-reached' });
    expect(reached.data).toMatchObject({ caseId, reached: true, state: 'vendor-notified' });

    // The fix is out; the case is disclosed and its advisory exported to anyone.
    for (const to of ['fix-available', 'disclosed']) expect((await call('POST', `/v1/cases/${caseId}/transitions`, analyst.key, { to, note: to })).status).toBe(200);
    const advisory = await call('GET', `/v1/cases/${caseId}/advisory?format=osv`, lab.key);
    expect(advisory.status).toBe(200);
    expect(JSON.stringify(advisory.body)).toContain('story-model');

    // Every event each organisation is entitled to (by the producers' audience), and nothing else, once each.
    const all: EventEnvelope<any>[] = [];
    for (const domain of ['intake', 'window', 'bench', 'vuln', 'notify']) all.push(...(await readEvents(nc, env.streamName(domain))));
    const subscribers = [lab, secretAgency, openAgency, vendorOrg];
    const entitledEver = (o: Org) => all.filter((e) => Audience.parse(e.audience).includes({ id: o.id, kind: o.kind, clearance: o.clearance }));
    for (const o of subscribers) {
      // Everything entitled since the subscription must arrive; an entitled event from just before it may too.
      const expected = entitledEver(o).filter((e) => e.time >= o.subscribedAt);
      const allowed = new Set(entitledEver(o).map((e) => e.id));
      expect(expected.length).toBeGreaterThan(0);
      const got = await waitFor(() => {
        const ids = new Set(o.receiver.requests.map((r) => r.headers['webhook-id']));
        return expected.every((e) => ids.has(e.id)) ? o.receiver.requests : undefined;
      }, { what: `${expected.length} deliveries to ${o.id}`, timeoutMs: 30_000 });
      const ids = got.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(ids.length); // each once
      for (const e of expected) expect(ids).toContain(e.id); // every entitled one
      for (const i of ids) expect(allowed.has(i)).toBe(true); // and nothing it is not entitled to
      for (const r of got) expect(new Webhook(o.secret).verify(r.body, r.headers)).toBeTruthy();
      // In causal order per entity (a submission, a window, a grant, a case: type's entity and the subject id),
      // as the entity's events stand in their stream.
      const entityOf = (e: EventEnvelope<any>) => `${e.type.split('.').slice(2, 4).join('.')}:${e.subject}`;
      const bodies = got.map((r) => JSON.parse(r.body) as EventEnvelope<any>);
      for (const entity of new Set(bodies.map(entityOf))) {
        const seen = bodies.filter((b) => entityOf(b) === entity).map((b) => b.id);
        const published = all.filter((e) => entityOf(e) === entity && seen.includes(e.id)).map((e) => e.id);
        expect({ entity, order: seen }).toEqual({ entity, order: published });
      }
    }
    // The lab saw its own submission's story; the other lab (the vendor) saw none of it.
    const labTypes = lab.receiver.requests.map((r) => JSON.parse(r.body).type);
    expect(labTypes).toEqual(expect.arrayContaining([
      'gov.vantage.intake.submission.received.v1', 'gov.vantage.bench.model.classified.v2', 'gov.vantage.window.window.closed.v1',
    ]));
    // Neither the lab nor the unclassified agency heard the secret suite's name; the secret agency did.
    expect(lab.receiver.requests.map((r) => r.body).join('\n')).not.toContain('story-suite');
    expect(openAgency.receiver.requests.map((r) => r.body).join('\n')).not.toContain('story-suite');
    expect(secretAgency.receiver.requests.map((r) => JSON.parse(r.body).type)).toContain('gov.vantage.bench.model.evidence-recorded.v1');
    // The run's events carry the secret suite's classification: the unclassified agency heard none of them.
    const openTypes = openAgency.receiver.requests.map((r) => JSON.parse(r.body).type as string);
    expect(openTypes.filter((t) => t.startsWith('gov.vantage.bench.run.'))).toEqual([]);
    expect(secretAgency.receiver.requests.map((r) => JSON.parse(r.body).type)).toContain('gov.vantage.bench.run.completed.v1');
    expect(vendorOrg.receiver.requests.map((r) => JSON.parse(r.body).subject)).not.toContain(id);

    // The runner was handed the lab's endpoint over the bus (it asked the model 40 times and more), in an answer sealed
    // to it: the lab's key is on no subject, in no header and no body, in any form a sniffer could read.
    expect(onTheBus.filter((m) => m.subject === `${env.prefix}.rpc.intake.get-submission-endpoint`).length).toBeGreaterThan(0);
    expect(onTheBus.length).toBeGreaterThan(100);
    const leaks = onTheBus.filter((m) => [LAB_KEY, Buffer.from(LAB_KEY).toString('base64'), Buffer.from(LAB_KEY).toString('base64url')].some((f) => m.text.includes(f)));
    expect(leaks.map((m) => m.subject)).toEqual([]);
    // Nor did the secret suite's items, uploaded through the gateway to the runner over the bus.
    expect(onTheBus.filter((m) => m.subject === `${env.prefix}.rpc.bench.append-suite-items`).length).toBeGreaterThan(0);
    const itemLeaks = onTheBus.filter((m) => tasks.some((t) => m.text.includes(JSON.stringify(t.input).slice(1, -1)) || m.text.includes(t.input)));
    expect(itemLeaks.map((m) => m.subject)).toEqual([]);
  });
});
