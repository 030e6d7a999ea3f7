// Every gateway answer says nosniff and that no cache may keep it: the API's answers are per caller, and some carry
// a secret (an API key at issuance).
import { request } from 'node:http';
import { TestEnvironment } from '@vantage/testing';
import { Gateway, submissionBody } from './gateway-fixture';

jest.setTimeout(60_000);

describe('answer headers', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let lab: { id: string; key: string };

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    gw = await Gateway.start(env);
    lab = await gw.organisation('lab');
  });
  afterAll(() => env?.dispose());

  const expectPrivate = (what: string, answer: { headers: Headers; status: number }, status: number) => {
    expect({ what, status: answer.status }).toEqual({ what, status });
    expect({ what, nosniff: answer.headers.get('x-content-type-options'), cache: answer.headers.get('cache-control') }).toEqual({
      what, nosniff: 'nosniff', cache: 'no-store',
    });
  };

  it('marks every /v1 answer nosniff and no-store: a key issuance, a read, a creation and every kind of refusal', async () => {
    expectPrivate('key issuance', await gw.call('POST', `/v1/orgs/${lab.id}/keys`, { key: gw.operatorKey }), 201);
    expectPrivate('list', await gw.call('GET', '/v1/submissions', { key: lab.key }), 200);
    expectPrivate('creation', await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody() }), 201);
    expectPrivate('no key', await gw.call('GET', '/v1/submissions'), 401);
    expectPrivate('wrong role', await gw.call('POST', '/v1/orgs', { key: lab.key, body: { name: 'x', kind: 'lab' } }), 403);
    expectPrivate('unknown route', await gw.call('GET', '/v1/nowhere', { key: lab.key }), 404);
    expectPrivate('bad JSON', await gw.call('POST', '/v1/submissions', { key: lab.key, raw: '{"model":' }), 400);
    expectPrivate('invalid body', await gw.call('POST', '/v1/submissions', { key: lab.key, body: { model: 1 } }), 400);
  });

  it('marks the public paths nosniff too, and answers refused before any route with nosniff', async () => {
    for (const path of ['/health/live', '/metrics', '/openapi.json', '/nowhere']) {
      const answer = await gw.call('GET', path);
      expect({ path, nosniff: answer.headers.get('x-content-type-options') }).toEqual({ path, nosniff: 'nosniff' });
    }
    // A malformed percent-encoding is refused by the router, before any hook of a route runs.
    const badUrl = await gw.call('GET', '/v1/submissions/%zz', { key: lab.key });
    expect(badUrl.status).toBe(400);
    expect(badUrl.headers.get('x-content-type-options')).toBe('nosniff');
    // Headers too large are refused by Node's parser, answered on the raw socket.
    const tooLarge = await new Promise<{ status?: number; nosniff?: string | string[] }>((resolve, reject) => {
      const req = request(`${gw.url}/v1/submissions`, { headers: { 'x-huge': 'x'.repeat(64 * 1024) } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode, nosniff: res.headers['x-content-type-options'] });
      });
      req.on('error', reject);
      req.end();
    });
    expect(tooLarge).toEqual({ status: 431, nosniff: 'nosniff' });
  });
});
