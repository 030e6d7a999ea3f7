// GET /asyncapi.json: the gateway serves the AsyncAPI document libs/contracts generates, for anyone (it is
// documentation), with this deployment's subjects and feed servers and an example for every message.
import { buildAsyncApi, EVENT_CATALOGUE, RPC_CATALOGUE } from '@vantage/contracts';
import { TestEnvironment } from '@vantage/testing';
import { Gateway } from './gateway-fixture';

jest.setTimeout(60_000);

describe('the AsyncAPI document at the gateway', () => {
  let env: TestEnvironment;
  let gw: Gateway;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    gw = await Gateway.start(env, { NATS_PUBLIC_URL: 'tls://nats.vantage.gov.example:4222' });
  });
  afterAll(() => env?.dispose());

  it('is served without a key, as JSON, with every subject under this deployment’s prefix and an example for every message', async () => {
    const answer = await gw.call('GET', '/asyncapi.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = answer.body;
    expect(doc.asyncapi).toBe('3.0.0');
    const addresses = Object.values<any>(doc.channels).map((c) => c.address).sort();
    expect(addresses).toEqual([...EVENT_CATALOGUE, ...RPC_CATALOGUE].map((d) => d.subject(env.prefix)).sort());
    const messages = Object.values<any>(doc.components.messages);
    expect(messages.filter((m) => m.examples?.length !== 1).map((m) => m.name)).toEqual([]);
    const opened = messages.find((m) => m.name === 'gov.vantage.window.window.opened.v1');
    expect(opened.examples[0].payload).toMatchObject({ type: 'gov.vantage.window.window.opened.v1', data: { opensAt: expect.any(String) } });
  });

  it('names the NATS servers organisations are told to connect to (NATS_PUBLIC_URL), not a developer machine', async () => {
    const { servers } = (await gw.call('GET', '/asyncapi.json')).body;
    expect(servers).toEqual({ nats1: expect.objectContaining({ host: 'nats.vantage.gov.example:4222', protocol: 'nats' }) });
  });

  it('is the generated document, and not a route of the OpenAPI document', async () => {
    const served = (await gw.call('GET', '/asyncapi.json')).body;
    const { servers: _servers, ...rest } = served;
    const { servers: _local, ...generated } = JSON.parse(JSON.stringify(buildAsyncApi(env.prefix)));
    expect(rest).toEqual(generated);
    const openapi = (await gw.call('GET', '/openapi.json')).body;
    expect(Object.keys(openapi.paths)).not.toContain('/asyncapi.json');
  });
});
