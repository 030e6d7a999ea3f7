// Where the tests' Postgres comes from: a container when a Docker engine answers (testcontainers), else the local
// server. Both paths give the same thing: an admin Postgres URL. NATS is not shared: every test environment starts
// a server of its own with its own credentials (nats-servers.ts), from a container on the same condition.
import { existsSync } from 'node:fs';

export interface Infrastructure {
  adminUrl: string;
  source: 'containers' | 'local';
  stop(): Promise<void>;
}

let shared: Promise<Infrastructure> | undefined;

/** One Postgres per test process (jest worker); each test file still gets its own database. */
export function infrastructure(): Promise<Infrastructure> {
  shared ??= start();
  return shared;
}

async function start(): Promise<Infrastructure> {
  if (process.env.VANTAGE_TEST_INFRA !== 'local' && (await dockerAnswers())) return startContainer();
  return {
    adminUrl: process.env.VANTAGE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    source: 'local',
    stop: async () => undefined,
  };
}

/** Whether a Docker engine answers, for testcontainers. */
export async function dockerAnswers(): Promise<boolean> {
  if (process.env.VANTAGE_TEST_INFRA === 'local') return false;
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('docker did not answer')), 5000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

async function startContainer(): Promise<Infrastructure> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const pg = await new PostgreSqlContainer('postgres:15').withUsername('postgres').withPassword('postgres').start();
  return {
    adminUrl: `postgres://postgres:postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`,
    source: 'containers',
    stop: async () => {
      await pg.stop();
    },
  };
}
