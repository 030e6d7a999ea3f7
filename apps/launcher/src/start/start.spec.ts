// The pure parts of `npm start`: which settings each service gets, how URLs are read and shown, bounded waits.
import { parseSecretBoxKeys } from '@vantage/crypto';
import { SERVICE_NAMES } from '@vantage/persistence';
import { natsEndpoints, natsPortFromEnv } from './nats';
import { adminUrlFromEnv, databaseNameFromEnv, embeddedPortFromEnv, redactUrl, urlHasPassword } from './postgres';
import { planLabSimulator, planService, portOf, portVariable, reachableHost } from './services';
import { newEncryptionKeyEntry } from './state';
import { pollUntil, WaitTimeoutError, withTimeout } from './wait';

const databaseUrls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, `postgres://vantage_${s}@127.0.0.1:5432/vantage`])) as Record<
  (typeof SERVICE_NAMES)[number],
  string
>;

describe('service settings', () => {
  it('gives the gateway PORT and every other service <NAME>_PORT, else its default port', () => {
    expect(portVariable('window-scheduler')).toBe('WINDOW_SCHEDULER_PORT');
    expect(portOf('intake', {})).toBe(3000);
    expect(portOf('intake', { PORT: '3100' })).toBe(3100);
    expect(portOf('notifier', { PORT: '3100' })).toBe(3004);
    expect(portOf('notifier', { NOTIFIER_PORT: '4004' })).toBe(4004);
    expect(() => portOf('intake', { PORT: 'abc' })).toThrow(/PORT must be a port number/);
  });

  it('passes the operator key to the gateway only, and each service its own database URL', () => {
    const env = { VANTAGE_BOOTSTRAP_OPERATOR_KEY: 'k'.repeat(30), LOG_LEVEL: 'debug', PORT: '3100' };
    const intake = planService('intake', { databaseUrls, natsUrl: 'nats://127.0.0.1:4333', operatorKey: 'x'.repeat(30), env });
    const notifier = planService('notifier', { databaseUrls, natsUrl: 'nats://127.0.0.1:4333', operatorKey: 'x'.repeat(30), env });
    expect(intake.env).toMatchObject({ PORT: '3100', HOST: '127.0.0.1', LOG_LEVEL: 'debug', NATS_URL: 'nats://127.0.0.1:4333' });
    expect(intake.env.VANTAGE_BOOTSTRAP_OPERATOR_KEY).toBe('x'.repeat(30));
    expect(intake.env.DATABASE_URL).toBe(databaseUrls.intake);
    expect(intake.healthUrl).toBe('http://127.0.0.1:3100/health/ready');
    expect(notifier.env.PORT).toBe('3004');
    expect(notifier.env.VANTAGE_BOOTSTRAP_OPERATOR_KEY).toBeUndefined();
    expect(notifier.env.DATABASE_URL).toBe(databaseUrls.notifier);
  });

  it('passes the secrets key to every service, as an id and a 32-byte base64 key', () => {
    const entry = newEncryptionKeyEntry();
    expect(entry).toMatch(/^local:[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(entry.slice('local:'.length), 'base64')).toHaveLength(32);
    expect(parseSecretBoxKeys(entry).currentKeyId).toBe('local');
    for (const s of SERVICE_NAMES) {
      expect(planService(s, { databaseUrls, natsUrl: 'nats://x', encryptionKeys: entry, env: {} }).env.VANTAGE_ENCRYPTION_KEYS).toBe(entry);
    }
  });

  it('reaches a service that listens on a wildcard address through the loopback', () => {
    expect(reachableHost('0.0.0.0')).toBe('127.0.0.1');
    expect(reachableHost('::')).toBe('127.0.0.1');
    expect(reachableHost('::1')).toBe('[::1]');
    expect(planService('intake', { databaseUrls, natsUrl: 'nats://x', env: { HOST: '0.0.0.0' } }).baseUrl).toBe('http://127.0.0.1:3000');
  });
});

describe('the demo lab model', () => {
  const env = {
    PATH: '/usr/bin', HOME: '/home/me', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', NATS_URL: 'nats://127.0.0.1:4222',
    PORT: '3100', HOST: '0.0.0.0', VANTAGE_BOOTSTRAP_OPERATOR_KEY: 'k'.repeat(30), VANTAGE_ENCRYPTION_KEYS: 'local:x', LOG_LEVEL: 'debug',
    LAB_SIM_SEED: '7', LAB_SIM_API_KEY: 'not-this-one',
  };

  it('listens on LAB_SIM_PORT (default 3010) on the services’ HOST, with the key Vantage is given for it', () => {
    const lab = planLabSimulator({ apiKey: 'sk-lab-sim-secret', env });
    expect(lab).toMatchObject({ name: 'lab-simulator', port: 3010, baseUrl: 'http://127.0.0.1:3010', healthUrl: 'http://127.0.0.1:3010/health/ready' });
    expect(lab.env).toMatchObject({
      LAB_SIM_PORT: '3010', LAB_SIM_HOST: '0.0.0.0', LAB_SIM_API_KEY: 'sk-lab-sim-secret', LAB_SIM_MODELS: 'acme-frontier-2026-12',
      LAB_SIM_LATENCY_MS: '50', LAB_SIM_SKILL: '0.9', LAB_SIM_SEED: '7', PATH: '/usr/bin',
    });
    expect(planLabSimulator({ apiKey: 'k'.repeat(10), env: { LAB_SIM_PORT: '4010' } }).baseUrl).toBe('http://127.0.0.1:4010');
    expect(() => planLabSimulator({ apiKey: 'k'.repeat(10), env: { LAB_SIM_PORT: 'x' } })).toThrow(/LAB_SIM_PORT must be a port number/);
  });

  it('is given none of the services’ settings', () => {
    const lab = planLabSimulator({ apiKey: 'sk-lab-sim-secret', env });
    for (const name of ['DATABASE_URL', 'NATS_URL', 'PORT', 'HOST', 'VANTAGE_BOOTSTRAP_OPERATOR_KEY', 'VANTAGE_ENCRYPTION_KEYS', 'LOG_LEVEL']) {
      expect(lab.env[name]).toBeUndefined();
    }
  });
});

describe('Postgres settings', () => {
  it('reads the admin URL, database name and embedded port with their defaults', () => {
    expect(adminUrlFromEnv({})).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(adminUrlFromEnv({ DATABASE_URL: 'postgres://a@b/c' })).toBe('postgres://a@b/c');
    expect(databaseNameFromEnv({})).toBe('vantage');
    expect(embeddedPortFromEnv({})).toBe(54329);
    expect(embeddedPortFromEnv({ VANTAGE_EMBEDDED_PG_PORT: '6000' })).toBe(6000);
    expect(() => embeddedPortFromEnv({ VANTAGE_EMBEDDED_PG_PORT: '0' })).toThrow(/VANTAGE_EMBEDDED_PG_PORT/);
  });

  it('hides passwords when printing, and gives roles passwords only when the admin URL has one', () => {
    expect(redactUrl('postgres://postgres:s3cret@127.0.0.1:54329/postgres')).toBe('postgres://postgres:****@127.0.0.1:54329/postgres');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(urlHasPassword('postgres://postgres:pw@127.0.0.1/postgres')).toBe(true);
    expect(urlHasPassword('postgres://postgres@127.0.0.1/postgres')).toBe(false);
  });
});

describe('NATS settings', () => {
  it('reads every server of a NATS_URL', () => {
    expect(natsEndpoints('nats://127.0.0.1:4222, nats://other:5222,localhost')).toEqual([
      { host: '127.0.0.1', port: 4222, url: 'nats://127.0.0.1:4222' },
      { host: 'other', port: 5222, url: 'nats://other:5222' },
      { host: 'localhost', port: 4222, url: 'localhost' },
    ]);
  });

  it('runs its own nats-server on VANTAGE_NATS_PORT, 4223 unless told, never adopting a NATS on 4222', () => {
    expect(natsPortFromEnv({})).toBe(4223);
    expect(natsPortFromEnv({ VANTAGE_NATS_PORT: '4400' })).toBe(4400);
    expect(() => natsPortFromEnv({ VANTAGE_NATS_PORT: 'x' })).toThrow(/VANTAGE_NATS_PORT must be a port number/);
  });
});

describe('bounded waits', () => {
  it('polls until the condition holds', async () => {
    let calls = 0;
    await pollUntil(() => ++calls >= 3, { what: 'three calls', timeoutMs: 1000, intervalMs: 1 });
    expect(calls).toBe(3);
  });

  it('gives up after the bound, saying what did not happen', async () => {
    await expect(pollUntil(() => false, { what: 'the impossible', timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(WaitTimeoutError);
    await expect(withTimeout(new Promise(() => undefined), 'a promise that never settles', 10)).rejects.toThrow(/a promise that never settles/);
  });

  it('stops waiting as soon as the abort promise rejects', async () => {
    const abort = Promise.reject(new Error('the child died'));
    await expect(pollUntil(() => false, { what: 'x', timeoutMs: 10_000, intervalMs: 5, abort })).rejects.toThrow('the child died');
  });
});
