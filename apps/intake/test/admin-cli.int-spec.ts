// The operator's command line creates organisations and keys that the gateway then honours.
import { TestEnvironment, waitFor } from '@vantage/testing';
import { runAdmin } from '../src/admin/admin.cli';
import { Gateway } from './gateway-fixture';

jest.setTimeout(60_000);

describe('npm run admin', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  const saved = process.env.DATABASE_URL;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    gw = await Gateway.start(env);
    process.env.DATABASE_URL = env.databaseUrlFor('intake');
  });
  afterAll(async () => {
    process.env.DATABASE_URL = saved;
    await env?.dispose();
  });

  async function admin(...argv: string[]): Promise<string[]> {
    const lines: string[] = [];
    const code = await runAdmin(argv, (l) => lines.push(l));
    expect(code).toBe(0);
    return lines;
  }

  it('creates an organisation and a key that the gateway accepts, and revokes it', async () => {
    const [orgLine] = await admin('create-org', '--name', 'CLI Lab', '--kind', 'lab');
    const org = JSON.parse(orgLine);
    expect(org).toMatchObject({ name: 'CLI Lab', kind: 'lab' });
    const [keyLine] = await admin('create-key', '--org', org.id);
    const key = JSON.parse(keyLine);
    expect(key.key).toMatch(/^vnt_/);
    expect((await gw.call('GET', '/v1/submissions', { key: key.key })).status).toBe(200);
    await admin('revoke-key', '--org', org.id, '--key', key.id);
    // Another process revoked it: the gateway hears of it through Postgres NOTIFY when the revocation commits.
    await waitFor(async () => (await gw.call('GET', '/v1/submissions', { key: key.key })).status === 401, { what: 'the revoked key refused' });
    const listed = (await admin('list-orgs')).map((l) => JSON.parse(l).id);
    expect(listed).toContain(org.id);
  });

  it('refuses an agency without a clearance, naming it', async () => {
    await expect(runAdmin(['create-org', '--name', 'X', '--kind', 'agency'], () => undefined)).rejects.toMatchObject({
      errors: [{ field: 'clearance', message: 'is required for an agency' }],
    });
  });

  it('refuses an unknown kind, naming the field', async () => {
    await expect(runAdmin(['create-org', '--name', 'X', '--kind', 'pirate'], () => undefined)).rejects.toMatchObject({
      problems: [expect.objectContaining({ field: 'kind' })],
    });
  });

  it('prints keys of the right form for the settings', async () => {
    const [key] = await admin('new-key');
    expect(key).toMatch(/^vnt_operator_[A-Za-z0-9_-]{43}$/);
    const [enc] = await admin('new-encryption-key', '--id', 'k1');
    expect(Buffer.from(enc.split(':')[1], 'base64')).toHaveLength(32);
  });
});
