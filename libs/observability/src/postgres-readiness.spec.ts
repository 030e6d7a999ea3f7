// Unit test: the DataSource is a stub; the real Postgres check runs in the services' integration tests.
import { DataSource } from 'typeorm';
import { jsonOf, ObservedApp, startObservedApp } from '../test/observed-app-fixture';
import { PostgresReadiness } from './postgres-readiness';

describe('PostgresReadiness (stub DataSource)', () => {
  let probe: ObservedApp;
  afterEach(() => probe.close());

  const start = (query: (sql: string) => Promise<unknown>) =>
    startObservedApp({ readinessTimeoutMs: 20, providers: [PostgresReadiness, { provide: DataSource, useValue: { query } }] });

  it('reports ready while SELECT 1 answers', async () => {
    const queries: string[] = [];
    probe = await start(async (sql) => queries.push(sql));
    const res = await fetch(`${probe.url}/health/ready`);
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).info).toEqual({ postgres: { status: 'up' } });
    expect(queries).toEqual(['SELECT 1']);
  });

  it('reports postgres not ready when SELECT 1 fails', async () => {
    probe = await start(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    });
    const res = await fetch(`${probe.url}/health/ready`);
    expect(res.status).toBe(503);
    expect((await jsonOf(res)).error).toEqual({ postgres: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:5432' } });
  });

  it('reports postgres not ready when SELECT 1 hangs past the timeout', async () => {
    probe = await start(() => new Promise(() => undefined));
    const res = await fetch(`${probe.url}/health/ready`);
    expect(res.status).toBe(503);
    expect((await jsonOf(res)).error.postgres.message).toBe('postgres did not answer within 20 ms');
  });
});
