// Where the tests' Postgres and NATS come from: containers when a Docker engine answers (testcontainers),
// else the local servers. Both paths give the same thing: an admin Postgres URL and a NATS URL.
import { existsSync } from 'node:fs';

export interface Infrastructure {
  adminUrl: string;
  natsUrl: string;
  source: 'containers' | 'local';
  stop(): Promise<void>;
}

let shared: Promise<Infrastructure> | undefined;

/** One set of servers per test process (jest worker); each test file still gets its own database and prefix. */
export function infrastructure(): Promise<Infrastructure> {
  shared ??= start();
  return shared;
}

async function start(): Promise<Infrastructure> {
  if (process.env.VANTAGE_TEST_INFRA !== 'local' && (await dockerAnswers())) return startContainers();
  return {
    adminUrl: process.env.VANTAGE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    natsUrl: process.env.VANTAGE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
    source: 'local',
    stop: async () => undefined,
  };
}

async function dockerAnswers(): Promise<boolean> {
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

async function startContainers(): Promise<Infrastructure> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const [pg, nats] = await Promise.all([
    new PostgreSqlContainer('postgres:15').withUsername('postgres').withPassword('postgres').start(),
    new GenericContainer('nats:2.10').withCommand(['-js']).withExposedPorts(4222).withWaitStrategy(Wait.forLogMessage(/Server is ready/)).start(),
  ]);
  const adminUrl = `postgres://postgres:postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`;
  return {
    adminUrl,
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
    source: 'containers',
    stop: async () => {
      await Promise.all([pg.stop(), nats.stop()]);
    },
  };
}
