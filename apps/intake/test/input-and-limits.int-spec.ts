// What the gateway does with bad input, repeated requests and too many requests.
import { TestEnvironment } from '@vantage/testing';
import { Gateway, submissionBody } from './gateway-fixture';

jest.setTimeout(60_000);

describe('gateway input handling', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let lab: { id: string; key: string };
  let agency: { id: string; key: string };

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    gw = await Gateway.start(env, { HTTP_BODY_LIMIT_BYTES: 64 * 1024 });
    lab = await gw.organisation('lab');
    agency = await gw.organisation('agency');
  });
  afterAll(() => env?.dispose());

  const rowCounts = async () => {
    const [r] = await env.query(`SELECT (SELECT count(*) FROM intake.submissions)::int AS submissions,
      (SELECT count(*) FROM intake.outbox)::int AS outbox, (SELECT count(*) FROM intake.idempotency_keys)::int AS keys`);
    return r;
  };

  describe('idempotent create', () => {
    it('returns the same submission for the same key and body, and 409 for the same key with another body', async () => {
      const body = submissionBody({ model: { name: 'idem', version: '1' } });
      const first = await gw.call('POST', '/v1/submissions', { key: lab.key, body, headers: { 'idempotency-key': 'create-idem-1' } });
      expect(first.status).toBe(201);
      const again = await gw.call('POST', '/v1/submissions', { key: lab.key, body, headers: { 'idempotency-key': 'create-idem-1' } });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      const other = await gw.call('POST', '/v1/submissions', {
        key: lab.key, body: { ...body, plannedReleaseAt: '2026-12-21T00:00:00Z' }, headers: { 'idempotency-key': 'create-idem-1' },
      });
      expect(other.status).toBe(409);
      expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
      expect(await env.query("SELECT id FROM intake.submissions WHERE model_name = 'idem'")).toHaveLength(1);
    });

    it('creates one row for concurrent duplicates', async () => {
      const body = submissionBody({ model: { name: 'racing', version: '1' } });
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => gw.call('POST', '/v1/submissions', { key: lab.key, body, headers: { 'idempotency-key': 'race-1' } })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await env.query("SELECT id FROM intake.submissions WHERE model_name = 'racing'")).toHaveLength(1);
      expect(await env.query("SELECT seq FROM intake.outbox WHERE envelope->'data'->'model'->>'name' = 'racing'")).toHaveLength(1);
    });

    it('keeps keys per organisation', async () => {
      const other = await gw.organisation('lab', 'Another');
      const body = submissionBody({ model: { name: 'per-org', version: '1' } });
      const a = await gw.call('POST', '/v1/submissions', { key: lab.key, body, headers: { 'idempotency-key': 'shared-key' } });
      const b = await gw.call('POST', '/v1/submissions', { key: other.key, body, headers: { 'idempotency-key': 'shared-key' } });
      expect(a.body.id).not.toBe(b.body.id);
      expect(b.body.labId).toBe(other.id);
    });
  });

  describe('malformed bodies', () => {
    const base = submissionBody();
    const cases: [string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number, string][] = [
      ['model missing', { body: { ...base, model: undefined } }, 400, 'model'],
      ['model name of the wrong type', { body: { ...base, model: { name: 42, version: '1' } } }, 400, 'model.name'],
      ['model name empty', { body: { ...base, model: { name: '', version: '1' } } }, 400, 'model.name'],
      ['model name huge', { body: { ...base, model: { name: 'x'.repeat(5000), version: '1' } } }, 400, 'model.name'],
      ['extra field in model', { body: { ...base, model: { ...base.model, colour: 'red' } } }, 400, 'model.colour'],
      ['extra top-level field', { body: { ...base, approve: true } }, 400, 'approve'],
      ['release date not a date', { body: { ...base, plannedReleaseAt: 'next tuesday' } }, 400, 'plannedReleaseAt'],
      ['release date without zone', { body: { ...base, plannedReleaseAt: '2026-12-20' } }, 400, 'plannedReleaseAt'],
      ['release date in the past', { body: { ...base, plannedReleaseAt: '2026-01-01T00:00:00Z' } }, 422, 'plannedReleaseAt'],
      ['release date 30 years away', { body: { ...base, plannedReleaseAt: '2056-01-01T00:00:00Z' } }, 422, 'plannedReleaseAt'],
      ['access after release', { body: { ...base, earliestAccessAt: '2026-12-25T00:00:00Z' } }, 422, 'earliestAccessAt'],
      ['endpoint missing', { body: { ...base, endpoint: undefined } }, 400, 'endpoint'],
      ['endpoint URL not a URL', { body: { ...base, endpoint: { ...base.endpoint, baseUrl: 'not a url' } } }, 400, 'endpoint.baseUrl'],
      ['endpoint URL not http', { body: { ...base, endpoint: { ...base.endpoint, baseUrl: 'ftp://x.example/v1' } } }, 400, 'endpoint.baseUrl'],
      ['endpoint apiKey missing', { body: { ...base, endpoint: { baseUrl: base.endpoint.baseUrl, modelId: 'm' } } }, 400, 'endpoint.apiKey'],
      ['FLOP negative', { body: { ...base, declaredTrainingFlop: -1 } }, 400, 'declaredTrainingFlop'],
      ['FLOP absurd', { body: { ...base, declaredTrainingFlop: 1e40 } }, 400, 'declaredTrainingFlop'],
      ['FLOP a string', { body: { ...base, declaredTrainingFlop: '3e26' } }, 400, 'declaredTrainingFlop'],
      ['agencies not ids', { body: { ...base, agencies: ['nope'] } }, 400, 'agencies'],
      ['agencies unknown', { body: { ...base, agencies: ['0192f0a0-0000-7000-8000-0000000000aa'] } }, 422, 'agencies[0]'],
      ['body is an array', { body: [base] }, 400, ''],
      ['body is not JSON', { raw: '{"model": {' }, 400, ''],
      ['body too large', { body: { ...base, model: { name: 'n', version: 'x'.repeat(70 * 1024) } } }, 413, ''],
      ['Idempotency-Key too long', { body: base, headers: { 'idempotency-key': 'k'.repeat(300) } }, 400, 'Idempotency-Key'],
    ];

    it.each(cases)('%s → %d naming the field, nothing written', async (_name, request, status, field) => {
      const before = await rowCounts();
      const answer = await gw.call('POST', '/v1/submissions', { key: lab.key, ...request });
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String), code: expect.any(String) });
      if (field) expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses an agency-kind organisation without a clearance, naming the field', async () => {
      const answer = await gw.call('POST', '/v1/orgs', { key: gw.operatorKey, body: { name: 'No clearance', kind: 'agency' } });
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual([{ field: 'clearance', message: 'is required for an agency' }]);
    });
  });

  it('uses the agency id list only when every id is an agency in the programme', async () => {
    const created = await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody({ agencies: [agency.id] }) });
    expect(created.status).toBe(201);
    const notAnAgency = await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody({ agencies: [agency.id, lab.id] }) });
    expect(notAnAgency.status).toBe(422);
    expect(notAnAgency.body.errors).toEqual([{ field: 'agencies[1]', message: 'is not an agency in the programme' }]);
  });
});

describe('rate limiting per key', () => {
  let env: TestEnvironment;
  let gw: Gateway;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    gw = await Gateway.start(env, { RATE_LIMIT_PER_MINUTE: 5 });
  });
  afterAll(() => env?.dispose());

  it('answers 429 with Retry-After once a key is over its limit, and other keys go on', async () => {
    const noisy = await gw.organisation('lab', 'Noisy');
    const quiet = await gw.organisation('lab', 'Quiet');
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 8; i++) {
      const answer = await gw.call('GET', '/v1/submissions', { key: noisy.key });
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((await gw.call('GET', '/v1/submissions', { key: quiet.key })).status).toBe(200);
    expect((await gw.call('GET', '/health/live')).status).toBe(200);
  });
});

describe('OpenAPI', () => {
  let env: TestEnvironment;
  let gw: Gateway;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    gw = await Gateway.start(env);
  });
  afterAll(() => env?.dispose());

  it('serves the live document with every route, its roles and its errors, and a browsable page', async () => {
    const doc = await gw.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    const paths = doc.body.paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining([
      '/v1/orgs', '/v1/orgs/{orgId}/keys', '/v1/orgs/{orgId}/keys/{keyId}',
      '/v1/submissions', '/v1/submissions/{id}', '/v1/submissions/{id}/withdraw', '/v1/submissions/{id}/release',
    ]));
    const create = paths['/v1/submissions'].post;
    expect(create.summary).toMatch(/Roles: lab/);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '422', '429']));
    expect(doc.body.components.schemas.EndpointDto.properties.apiKey.writeOnly).toBe(true);
    const page = await gw.call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger');
  });

  it('has no route, state or word that approves, holds or blocks a release', async () => {
    const doc = await gw.call('GET', '/openapi.json');
    const routes = Object.keys(doc.body.paths).join(' ');
    expect(routes).not.toMatch(/approv|hold|block|gate|reject/i);
    const statuses = JSON.stringify(doc.body.components.schemas.SubmissionView.properties.status);
    expect(statuses).not.toMatch(/approv|hold|block|pending/i);
  });
});
