// A lab's endpoint must be one Vantage may call (the outbound destination policy): https, no credentials in the URL,
// a host that resolves, and never an address of someone's own network. Refused at POST and PATCH with a 422 naming
// endpoint.baseUrl, and nothing written.
import { ScriptedDns, TestEnvironment } from '@vantage/testing';
import { Gateway, submissionBody } from './gateway-fixture';

jest.setTimeout(60_000);

describe("a lab's endpoint URL", () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let lab: { id: string; key: string };
  const dns = new ScriptedDns()
    .answer('api.lab.test', '93.184.215.14')
    .answer('inside.lab.test', '93.184.215.14', '10.20.30.40')
    .answer('metadata.lab.test', '169.254.169.254');

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    gw = await Gateway.start(env, {}, dns.lookup);
    lab = await gw.organisation('lab', 'Acme AI');
  });
  afterAll(() => env?.dispose());

  const written = async () => {
    const [r] = await env.query(`SELECT (SELECT count(*) FROM intake.submissions)::int AS submissions,
      (SELECT count(*) FROM intake.outbox)::int AS outbox`);
    return r;
  };
  const endpoint = (baseUrl: string) => ({ baseUrl, modelId: 'acme-frontier-2026-12', apiKey: 'sk-lab-endpoint-policy-secret' });

  const refused: [string, string, RegExp][] = [
    ['a loopback address', 'https://127.0.0.1:8443/v1', /host 127\.0\.0\.1 is a loopback address/],
    ['a loopback IPv6 address', 'https://[::1]/v1', /host ::1 is a loopback address/],
    ['a private address', 'https://10.1.2.3/v1', /host 10\.1\.2\.3 is a private address/],
    ['a link-local address (cloud metadata)', 'https://169.254.169.254/latest', /host 169\.254\.169\.254 is a link-local address/],
    ['an IPv4-mapped private address', 'https://[::ffff:192.168.1.1]/v1', /is a private address/],
    ['a name that resolves to loopback', 'https://localhost/v1', /host localhost resolves to a loopback address/],
    ['a name with one private address among public ones', 'https://inside.lab.test/v1', /host inside\.lab\.test resolves to a private address/],
    ['a name that resolves to a link-local address', 'https://metadata.lab.test/v1', /resolves to a link-local address/],
    ['plain http to a public host', 'http://api.lab.test/v1', /must use https/],
    ['credentials in the URL', 'https://lab:sk-in-url@api.lab.test/v1', /may not carry credentials/],
    ['a host that does not resolve', 'https://nowhere.invalid/v1', /host nowhere\.invalid does not resolve/],
  ];

  it.each(refused)('refuses a submission whose endpoint is %s with 422 naming endpoint.baseUrl, and writes nothing', async (_what, baseUrl, message) => {
    const before = await written();
    const res = await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody({ endpoint: endpoint(baseUrl) }) });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ field: 'endpoint.baseUrl', message: expect.stringMatching(message) }]);
    expect(res.text).not.toContain('sk-lab-endpoint-policy-secret');
    expect(res.text).not.toContain('sk-in-url');
    expect(await written()).toEqual(before);
  });

  it('accepts an https endpoint whose host resolves to public addresses only', async () => {
    const res = await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody({ endpoint: endpoint('https://api.lab.test/v1') }) });
    expect(res.status).toBe(201);
    expect(res.body.endpoint.baseUrl).toBe('https://api.lab.test/v1');
  });

  describe('changed by PATCH', () => {
    let id: string;
    beforeAll(async () => {
      const created = await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody({ endpoint: endpoint('https://api.lab.test/v1') }) });
      expect(created.status).toBe(201);
      id = created.body.id;
    });
    const row = async () => (await env.query('SELECT endpoint_base_url, endpoint_api_key, updated_at FROM intake.submissions WHERE id = $1', [id]))[0];

    it.each(refused)('refuses an endpoint that is %s with 422 naming endpoint.baseUrl, and changes nothing', async (_what, baseUrl, message) => {
      const [before, counts] = [await row(), await written()];
      const res = await gw.call('PATCH', `/v1/submissions/${id}`, {
        key: lab.key,
        body: { endpoint: { baseUrl, apiKey: 'sk-rotated-with-a-bad-url' }, plannedReleaseAt: '2026-12-24T00:00:00Z' },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'endpoint.baseUrl', message: expect.stringMatching(message) }]);
      // Neither the credential nor the release date moved, and no event was recorded.
      expect(await row()).toEqual(before);
      expect(await written()).toEqual(counts);
    });

    it('accepts another https endpoint on a public host', async () => {
      dns.answer('api2.lab.test', '93.184.215.15');
      const res = await gw.call('PATCH', `/v1/submissions/${id}`, { key: lab.key, body: { endpoint: { baseUrl: 'https://api2.lab.test/v1' } } });
      expect(res.status).toBe(200);
      expect(res.body.endpoint.baseUrl).toBe('https://api2.lab.test/v1');
    });
  });
});
