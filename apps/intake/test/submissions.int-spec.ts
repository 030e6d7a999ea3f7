// The submission API as labs, agencies and operators meet it, against real Postgres and NATS.
import { readEvents, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, LAB_SECRET, submissionBody } from './gateway-fixture';

jest.setTimeout(60_000);

describe('submissions through the gateway', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let labA: { id: string; key: string };
  let labB: { id: string; key: string };
  let agency: { id: string; key: string };

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    gw = await Gateway.start(env);
    labA = await gw.organisation('lab', 'Acme AI');
    labB = await gw.organisation('lab', 'Other Lab');
    agency = await gw.organisation('agency', 'Agency A', 'secret');
  });
  afterAll(() => env?.dispose());

  const eventsOf = async (id: string) => (await readEvents(await env.nats(), env.streamName('intake'))).filter((e) => e.subject === id);

  it('creates, reads, reschedules and withdraws, with the events on the bus in order and with their audience', async () => {
    const created = await gw.call('POST', '/v1/submissions', { key: labA.key, body: submissionBody({ agencies: [agency.id] }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'active',
      labId: labA.id,
      model: { name: 'acme-frontier', version: '2026-12' },
      plannedReleaseAt: '2026-12-20T00:00:00.000Z',
      endpoint: { baseUrl: 'https://api.acme.example/v1', modelId: 'acme-frontier-2026-12' },
      agencies: [agency.id],
      createdAt: '2026-11-26T12:00:00.000Z',
    });
    const id = created.body.id;

    const read = await gw.call('GET', `/v1/submissions/${id}`, { key: labA.key });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    env.clock.advance(60_000);
    const moved = await gw.call('PATCH', `/v1/submissions/${id}`, { key: labA.key, body: { plannedReleaseAt: '2026-12-24T00:00:00Z' } });
    expect(moved.status).toBe(200);
    expect(moved.body.plannedReleaseAt).toBe('2026-12-24T00:00:00.000Z');

    const rotated = await gw.call('PATCH', `/v1/submissions/${id}`, { key: labA.key, body: { endpoint: { apiKey: 'sk-rotated-credential' } } });
    expect(rotated.status).toBe(200);

    const withdrawn = await gw.call('POST', `/v1/submissions/${id}/withdraw`, { key: labA.key });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawnAt: '2026-11-26T12:01:00.000Z' });

    const events = await waitFor(async () => {
      const e = await eventsOf(id);
      return e.length === 4 ? e : undefined;
    }, { what: 'four events' });
    expect(events.map((e) => e.type)).toEqual([
      'gov.vantage.intake.submission.received.v1',
      'gov.vantage.intake.submission.rescheduled.v1',
      'gov.vantage.intake.submission.credential-rotated.v1',
      'gov.vantage.intake.submission.withdrawn.v1',
    ]);
    for (const e of events) expect(e.audience).toBe(`org:${labA.id} role:operator`);
    expect(events[1].data).toMatchObject({ plannedReleaseAt: '2026-12-24T00:00:00.000Z', previousPlannedReleaseAt: '2026-12-20T00:00:00.000Z' });
    expect(events[2].data).toMatchObject({ endpointChanged: false });

    // A withdrawn submission no longer changes.
    const late = await gw.call('PATCH', `/v1/submissions/${id}`, { key: labA.key, body: { plannedReleaseAt: '2026-12-30T00:00:00Z' } });
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    expect(late.body).toMatchObject({ status: 409, code: 'submission_not_active' });
  });

  it('declares a release, which ends the submission', async () => {
    const created = await gw.call('POST', '/v1/submissions', { key: labA.key, body: submissionBody() });
    const released = await gw.call('POST', `/v1/submissions/${created.body.id}/release`, { key: labA.key, body: {} });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', releasedAt: env.clock.now().toISOString() });
    const again = await gw.call('POST', `/v1/submissions/${created.body.id}/withdraw`, { key: labA.key });
    expect(again.status).toBe(409);
    const events = await waitFor(async () => {
      const e = await eventsOf(created.body.id);
      return e.length === 2 ? e : undefined;
    });
    expect(events[1]).toMatchObject({ type: 'gov.vantage.intake.submission.released.v1', data: { releasedAt: env.clock.now().toISOString() } });
  });

  it('lists a lab its own submissions only, newest first, in pages; an operator sees all', async () => {
    for (let i = 0; i < 3; i++) {
      env.clock.advance(1000);
      await gw.call('POST', '/v1/submissions', { key: labB.key, body: submissionBody({ model: { name: `b-${i}`, version: '1' } }) });
    }
    const page1 = await gw.call('GET', '/v1/submissions?limit=2', { key: labB.key });
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((s: any) => s.model.name)).toEqual(['b-2', 'b-1']);
    const page2 = await gw.call('GET', `/v1/submissions?limit=2&cursor=${page1.body.nextCursor}`, { key: labB.key });
    expect(page2.body.items.map((s: any) => s.model.name)).toEqual(['b-0']);
    expect(page2.body.nextCursor).toBeUndefined();
    const all = await gw.call('GET', '/v1/submissions?limit=200', { key: gw.operatorKey });
    const labs = new Set(all.body.items.map((s: any) => s.labId));
    expect(labs).toEqual(new Set([labA.id, labB.id]));
  });

  describe('tenancy', () => {
    let theirs: string;
    beforeAll(async () => {
      theirs = (await gw.call('POST', '/v1/submissions', { key: labA.key, body: submissionBody() })).body.id;
    });

    const routes = (id: string) => [
      ['GET', `/v1/submissions/${id}`, undefined],
      ['PATCH', `/v1/submissions/${id}`, { plannedReleaseAt: '2026-12-30T00:00:00Z' }],
      ['POST', `/v1/submissions/${id}/withdraw`, undefined],
      ['POST', `/v1/submissions/${id}/release`, {}],
    ] as const;

    it("gives another lab 404 on every route for a lab's submission, and changes nothing", async () => {
      for (const [method, path, body] of routes(theirs)) {
        const answer = await gw.call(method, path, { key: labB.key, body });
        expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
        expect(answer.text).not.toContain(labA.id);
      }
      const mine = await gw.call('GET', `/v1/submissions/${theirs}`, { key: labA.key });
      expect(mine.body.status).toBe('active');
      expect(mine.body.plannedReleaseAt).toBe('2026-12-20T00:00:00.000Z');
    });

    it('answers an unknown id and a malformed id alike: 404', async () => {
      expect((await gw.call('GET', '/v1/submissions/0192f0a0-0000-7000-8000-00000000dead', { key: labA.key })).status).toBe(404);
      expect((await gw.call('GET', '/v1/submissions/not-an-id', { key: labA.key })).status).toBe(404);
    });

    it('refuses an agency (403) and a caller without a key or with an unknown key (401)', async () => {
      for (const [method, path, body] of [...routes(theirs), ['POST', '/v1/submissions', submissionBody()] as const]) {
        expect((await gw.call(method, path, { key: agency.key, body })).status).toBe(403);
        const anonymous = await gw.call(method, path, { body });
        expect(anonymous.status).toBe(401);
        expect(anonymous.body).toMatchObject({ status: 401, code: 'unauthenticated' });
        expect((await gw.call(method, path, { key: 'vnt_nobody_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', body })).status).toBe(401);
      }
    });
  });

  it('stops a revoked key at once', async () => {
    const lab = await gw.organisation('lab', 'Short-lived');
    expect((await gw.call('GET', '/v1/submissions', { key: lab.key })).status).toBe(200);
    const keys = await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey });
    const revoked = await gw.call('DELETE', `/v1/orgs/${lab.id}/keys/${keys.body.id}`, { key: gw.operatorKey });
    expect(revoked.status).toBe(204);
    expect((await gw.call('GET', '/v1/submissions', { key: keys.body.key })).status).toBe(401);
    expect((await gw.call('GET', '/v1/submissions', { key: lab.key })).status).toBe(200);
  });

  it('creates an organisation once for a repeated Idempotency-Key, and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': 'enrol-agency-z-2026-11-27' };
    const body = { name: 'Agency Z', kind: 'agency', clearance: 'cui' };
    const first = await gw.call('POST', '/v1/orgs', { key: gw.operatorKey, body, headers });
    const again = await gw.call('POST', '/v1/orgs', { key: gw.operatorKey, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await gw.call('POST', '/v1/orgs', { key: gw.operatorKey, body: { ...body, name: 'Agency Y' }, headers });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
    const rows = await env.query(`SELECT id FROM intake.organisations WHERE name IN ('Agency Z', 'Agency Y')`);
    expect(rows).toEqual([{ id: first.body.id }]);
    const created = await waitFor(async () => {
      const found = (await readEvents(await env.nats(), env.streamName('intake'))).filter((e) => e.type.endsWith('organisation.created.v1') && e.subject === first.body.id);
      return found.length ? found : undefined;
    }, { what: 'organisation.created' });
    expect(created).toHaveLength(1);
  });

  it('issues a key once for a repeated Idempotency-Key, answering the same key again, never kept in clear', async () => {
    const org = await gw.organisation('lab', 'Key Retry Lab');
    const headers = { 'idempotency-key': 'issue-key-retry-1' };
    const first = await gw.call('POST', `/v1/orgs/${org.id}/keys`, { key: gw.operatorKey, headers });
    const again = await gw.call('POST', `/v1/orgs/${org.id}/keys`, { key: gw.operatorKey, headers });
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect((await gw.call('GET', '/v1/submissions', { key: first.body.key })).status).toBe(200);
    expect(await env.query('SELECT count(*)::int AS n FROM intake.api_keys WHERE org_id = $1', [org.id])).toEqual([{ n: 2 }]); // its first key and this one
    const [stored] = await env.query('SELECT response::text AS response FROM intake.idempotency_keys WHERE key = $1', ['issue-key-retry-1']);
    expect(stored.response).not.toContain(first.body.key);
    const elsewhere = await gw.call('POST', `/v1/orgs/${labA.id}/keys`, { key: gw.operatorKey, headers });
    expect(elsewhere).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
  });

  it('stops a revoked key on every gateway replica, though each remembers keys it has verified', async () => {
    const other = await gw.replica();
    try {
      const lab = await gw.organisation('lab', 'Two doors');
      const keys = await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey });
      for (const door of [gw, other]) expect((await door.call('GET', '/v1/submissions', { key: keys.body.key })).status).toBe(200);
      expect((await gw.call('DELETE', `/v1/orgs/${lab.id}/keys/${keys.body.id}`, { key: gw.operatorKey })).status).toBe(204);
      // The replica that revoked it refuses it with the very next request; the other hears the commit's NOTIFY.
      expect((await gw.call('GET', '/v1/submissions', { key: keys.body.key })).status).toBe(401);
      await waitFor(async () => (await other.call('GET', '/v1/submissions', { key: keys.body.key })).status === 401, { what: 'the other replica to refuse the key' });
      for (const door of [gw, other]) expect((await door.call('GET', '/v1/submissions', { key: lab.key })).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('never shows the endpoint credential in an answer, an event or a log line', async () => {
    const created = await gw.call('POST', '/v1/submissions', { key: labA.key, body: submissionBody() });
    const answers = [
      created.text,
      (await gw.call('GET', `/v1/submissions/${created.body.id}`, { key: labA.key })).text,
      (await gw.call('GET', '/v1/submissions', { key: gw.operatorKey })).text,
      (await gw.call('PATCH', `/v1/submissions/${created.body.id}`, { key: labA.key, body: { endpoint: { apiKey: LAB_SECRET } } })).text,
      (await gw.call('POST', '/v1/submissions', { key: labA.key, body: submissionBody({ plannedReleaseAt: '2020-01-01T00:00:00Z' }) })).text,
      (await gw.call('POST', '/v1/submissions', { key: labA.key, body: submissionBody({ surprise: LAB_SECRET }) })).text,
    ];
    for (const text of answers) expect(text).not.toContain(LAB_SECRET);
    const stream = await waitFor(async () => {
      const e = await eventsOf(created.body.id);
      return e.length === 2 ? e : undefined;
    });
    expect(JSON.stringify(stream)).not.toContain(LAB_SECRET);
    expect(gw.service.logs.lines.length).toBeGreaterThan(0);
    expect(gw.service.logs.text()).not.toContain(LAB_SECRET);
    const [row] = await env.query('SELECT endpoint_api_key FROM intake.submissions WHERE id = $1', [created.body.id]);
    expect(row.endpoint_api_key).not.toContain(LAB_SECRET);
  });
});
