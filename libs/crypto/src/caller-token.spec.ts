import { CALLER_TOKEN_TTL_MS, CallerTokenError, ReplayGuard, signCallerToken, verifyCallerToken } from './caller-token';
import { newIdentitySeed, ServiceDirectory, ServiceIdentity } from './service-identity';

const enc = (s: string) => new TextEncoder().encode(s);
const NOW = Date.parse('2026-12-04T12:00:00Z');

describe('signed caller tokens', () => {
  let gateway: ServiceIdentity;
  let runner: ServiceIdentity;
  let stranger: ServiceIdentity;
  let directory: ServiceDirectory;
  const request = { audience: 'vuln-clearinghouse', subject: 'vantage.rpc.vuln.get-case', payload: enc('{"data":{"caseId":"c1"}}') };
  const organisation = { id: 'org-1', kind: 'agency', clearance: 'secret', keyId: 'k1' };

  beforeAll(async () => {
    [gateway, runner, stranger] = await Promise.all([
      ServiceIdentity.fromSeed('intake', newIdentitySeed()),
      ServiceIdentity.fromSeed('benchmark-runner', newIdentitySeed()),
      ServiceIdentity.fromSeed('intake', newIdentitySeed()),
    ]);
    directory = ServiceDirectory.of([gateway, runner]);
  });

  const verify = (token: string | undefined, over: Partial<typeof request> = {}, guard = new ReplayGuard(), now = NOW) =>
    verifyCallerToken(directory, token, { ...request, ...over }, guard, { now });

  it('verifies the organisation the gateway acts for', async () => {
    const token = await signCallerToken(gateway, { ...request, organisation }, { now: NOW });
    await expect(verify(token)).resolves.toEqual({ service: 'intake', organisation });
  });

  it('verifies a service acting as itself', async () => {
    const token = await signCallerToken(runner, { ...request, audience: 'intake' }, { now: NOW });
    await expect(verify(token, { audience: 'intake' })).resolves.toEqual({ service: 'benchmark-runner' });
  });

  it.each([
    ['no token', async () => undefined, {}, /no signed caller/],
    ['a token signed by a key not in the directory', async () => signCallerToken(stranger, { ...request, organisation }, { now: NOW }), {}, /does not verify/],
    ['a token for another service', async () => signCallerToken(gateway, { ...request, organisation }, { now: NOW }), { audience: 'notifier' }, /aud/],
    ['a token for another subject', async () => signCallerToken(gateway, { ...request, organisation }, { now: NOW }), { subject: 'vantage.rpc.vuln.transition-case' }, /another subject/],
    ['a token for another body', async () => signCallerToken(gateway, { ...request, organisation }, { now: NOW }), { payload: enc('{"data":{"caseId":"c2"}}') }, /another request body/],
    ['garbage', async () => 'not.a.jwt', {}, /not a JWT|does not verify/],
  ])('refuses %s', async (_name, make, over, message) => {
    await expect(verify(await make(), over)).rejects.toThrow(message);
  });

  it('refuses a token whose signature was altered (forged claims)', async () => {
    const token = await signCallerToken(gateway, { ...request, organisation: { ...organisation, clearance: 'unclassified' } }, { now: NOW });
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.org.clearance = 'top-secret';
    const forged = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
    await expect(verify(forged)).rejects.toThrow(CallerTokenError);
  });

  it('refuses the same token a second time (replay)', async () => {
    const guard = new ReplayGuard();
    const token = await signCallerToken(gateway, { ...request, organisation }, { now: NOW });
    await expect(verify(token, {}, guard)).resolves.toBeDefined();
    await expect(verify(token, {}, guard)).rejects.toThrow(/already used/);
  });

  it('refuses an expired token, and accepts one within the clock tolerance', async () => {
    const token = await signCallerToken(gateway, { ...request, organisation }, { now: NOW });
    await expect(verify(token, {}, new ReplayGuard(), NOW + CALLER_TOKEN_TTL_MS + 3_000)).resolves.toBeDefined();
    await expect(verify(token, {}, new ReplayGuard(), NOW + CALLER_TOKEN_TTL_MS + 10_000)).rejects.toThrow(/expired/);
  });

  it('forgets used ids once they expired, and refuses when full of live ones', () => {
    const guard = new ReplayGuard(2);
    expect(guard.claim('a', NOW + 1000, NOW)).toBe(true);
    expect(guard.claim('b', NOW + 1000, NOW)).toBe(true);
    expect(guard.claim('c', NOW + 1000, NOW)).toBe(false);
    expect(guard.claim('c', NOW + 60_000, NOW + 20_000)).toBe(true);
    expect(guard.claim('a', NOW + 60_000, NOW + 20_000)).toBe(true);
  });
});

describe('secrets sealed to a service', () => {
  it('opens only for the service it was sealed to, for the same context, untampered', async () => {
    const [runner, gateway] = await Promise.all([
      ServiceIdentity.fromSeed('benchmark-runner', newIdentitySeed()),
      ServiceIdentity.fromSeed('intake', newIdentitySeed()),
    ]);
    const directory = ServiceDirectory.of([runner, gateway]);
    const sealed = await directory.sealTo('benchmark-runner', 'sk-lab-secret', 'submission-1');
    expect(sealed).not.toContain('sk-lab-secret');
    await expect(runner.open(sealed, 'submission-1')).resolves.toBe('sk-lab-secret');
    await expect(runner.open(sealed, 'submission-2')).rejects.toThrow(/could not be opened/);
    await expect(gateway.open(sealed, 'submission-1')).rejects.toThrow(/could not be opened/);
    const [v, e, ct] = sealed.split('.');
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] ^= 1;
    await expect(runner.open([v, e, flipped.toString('base64url')].join('.'), 'submission-1')).rejects.toThrow(/could not be opened/);
    await expect(directory.sealTo('notifier', 'x', 'y')).rejects.toThrow(/not in VANTAGE_SERVICE_KEYS/);
  });

  it('derives the same keys from the same seed, and names a bad directory entry', async () => {
    const seed = newIdentitySeed();
    const [a, b] = await Promise.all([ServiceIdentity.fromSeed('notifier', seed), ServiceIdentity.fromSeed('notifier', seed)]);
    expect(a.directoryEntry).toBe(b.directoryEntry);
    expect(() => ServiceDirectory.parse('notifier:abc.def')).toThrow(/notifier's signing key must be 32 bytes/);
    expect(() => ServiceDirectory.parse(`${a.directoryEntry},${b.directoryEntry}`)).toThrow(/listed twice/);
    await expect(ServiceIdentity.fromSeed('notifier', 'short')).rejects.toThrow(/VANTAGE_IDENTITY_KEY must be 32 bytes/);
  });
});
