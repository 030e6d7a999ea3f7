// NATS for `npm start`: a nats-server of its own, with authentication (operator mode, a user per service, see
// libs/messaging nats-auth.ts), JetStream data in .vantage/nats/jetstream, on 127.0.0.1:VANTAGE_NATS_PORT. A NATS
// that merely answers on the machine is never adopted: it would let anything on the machine act as any service, and
// two checkouts on one NATS would split each other's events. Yours is used only when you say so (NATS_URL with the
// trust its users are signed with, VANTAGE_NATS_TRUST).
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { findNatsServer, natsServerConfig, NatsTrust } from '@vantage/messaging';
import { ManagedProcess } from './processes';
import { ROOT, statePath } from './state';
import { pollUntil } from './wait';

export { findNatsServer };

/** The port of npm start's own nats-server: not 4222, which a system NATS (without Vantage's users) may hold. */
export const DEFAULT_NATS_PORT = 4223;

export function natsPortFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.VANTAGE_NATS_PORT;
  if (!raw) return DEFAULT_NATS_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`VANTAGE_NATS_PORT must be a port number, not "${raw}"`);
  return port;
}

export type NatsProbe = { state: 'up'; jetstream: boolean; server: string; version?: string } | { state: 'down'; reason: string };

interface Endpoint {
  host: string;
  port: number;
  url: string;
}

/** The servers of a NATS_URL (comma-separated; `nats://host:port`, port 4222 when left out). */
export function natsEndpoints(natsUrl: string): Endpoint[] {
  return natsUrl
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const u = new URL(s.includes('://') ? s : `nats://${s}`);
      return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 4222), url: s };
    });
}

/** Connects over TCP and reads the server's INFO line, which says whether JetStream is on. */
export function probeNatsServer(host: string, port: number, timeoutMs = 2000): Promise<NatsProbe> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let buffer = '';
    const finish = (result: NatsProbe) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ state: 'down', reason: `no INFO from ${host}:${port} within ${timeoutMs} ms` }), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\r\n');
      if (end < 0) return;
      const line = buffer.slice(0, end);
      if (!line.startsWith('INFO ')) return finish({ state: 'down', reason: `${host}:${port} is not a NATS server` });
      try {
        const info = JSON.parse(line.slice(5)) as { jetstream?: boolean; version?: string };
        finish({ state: 'up', jetstream: info.jetstream === true, server: `${host}:${port}`, version: info.version });
      } catch {
        finish({ state: 'down', reason: `${host}:${port} sent an unreadable INFO line` });
      }
    });
    socket.on('error', (err) => finish({ state: 'down', reason: err.message }));
    socket.on('close', () => finish({ state: 'down', reason: `${host}:${port} closed the connection` }));
  });
}

/** Probes each server of the URL until one answers. */
export async function probeNats(natsUrl: string, timeoutMs = 2000): Promise<NatsProbe> {
  let last: NatsProbe = { state: 'down', reason: 'no server in NATS_URL' };
  for (const e of natsEndpoints(natsUrl)) {
    last = await probeNatsServer(e.host, e.port, timeoutMs);
    if (last.state === 'up') return last;
  }
  return last;
}

export function natsInstallHelp(): string {
  return [
    'nats-server is not installed (looked on the PATH, in /usr/sbin and /usr/local/bin); npm start runs one of its own, with Vantage\'s users.',
    'Install it, then run npm start again:',
    '  Debian/Ubuntu:  sudo apt-get install nats-server',
    '  With Go:        go install github.com/nats-io/nats-server/v2@latest   (installs into $(go env GOPATH)/bin: put that on your PATH)',
    '  Otherwise:      download a release from https://github.com/nats-io/nats-server/releases and put nats-server on your PATH',
    'Or run your own NATS with the configuration of `npm run nats-auth -- init`, and set NATS_URL and VANTAGE_NATS_TRUST.',
  ].join('\n');
}

/**
 * Starts nats-server as a child with Vantage's authentication (.vantage/nats/nats.conf, JetStream data in
 * .vantage/nats/jetstream) and waits until it answers.
 */
export async function startNatsServer(binary: string, host: string, port: number, trust: NatsTrust): Promise<ManagedProcess> {
  const storeDir = statePath('nats', 'jetstream');
  mkdirSync(storeDir, { recursive: true });
  const configFile = statePath('nats', 'nats.conf');
  writeFileSync(configFile, await natsServerConfig(trust, { host, port, storeDir, serverName: 'vantage-local' }), { mode: 0o600 });
  const server = new ManagedProcess({
    name: 'nats',
    command: binary,
    args: ['-c', configFile],
    cwd: ROOT,
    env: process.env,
  });
  const died = server.exited.then((exit) => {
    throw new Error(`nats-server exited while starting (${exit.signal ?? `exit code ${exit.code}`})`);
  });
  died.catch(() => undefined);
  try {
    await pollUntil(async () => (await probeNatsServer(host, port, 1000)).state === 'up', {
      what: `nats-server answering on ${host}:${port}`,
      timeoutMs: 20_000,
      abort: died,
    });
  } catch (err) {
    server.printLastLines();
    await server.stop(5_000);
    throw err;
  }
  return server;
}
