// Finding NATS, and starting `nats-server -js` from the PATH when none answers.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { ManagedProcess } from './processes';
import { ROOT, statePath } from './state';
import { pollUntil } from './wait';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export function natsUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.NATS_URL || DEFAULT_NATS_URL;
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

/** nats-server on the PATH, or in the usual system places. */
export function findNatsServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/bin', '/usr/bin', '/opt/homebrew/bin'];
  if (env.HOME) dirs.push(join(env.HOME, 'go', 'bin'));
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function natsInstallHelp(natsUrl: string): string {
  return [
    `NATS does not answer at ${natsUrl}, and nats-server is not installed (looked on the PATH, in /usr/sbin and /usr/local/bin).`,
    'Install it, then run npm start again:',
    '  Debian/Ubuntu:  sudo apt-get install nats-server',
    '  With Go:        go install github.com/nats-io/nats-server/v2@latest   (installs into $(go env GOPATH)/bin: put that on your PATH)',
    '  Otherwise:      download a release from https://github.com/nats-io/nats-server/releases and put nats-server on your PATH',
    'Or set NATS_URL to a running NATS server with JetStream enabled.',
  ].join('\n');
}

/**
 * The address to run a local nats-server on: the NATS_URL's own when it names this machine, else 127.0.0.1:4222.
 */
export function localNatsAddress(natsUrl: string): { host: string; port: number; url: string } {
  const first = natsEndpoints(natsUrl)[0];
  if (first && ['127.0.0.1', 'localhost', '::1'].includes(first.host)) {
    const host = first.host === 'localhost' ? '127.0.0.1' : first.host;
    return { host, port: first.port, url: `nats://${host.includes(':') ? `[${host}]` : host}:${first.port}` };
  }
  return { host: '127.0.0.1', port: 4222, url: DEFAULT_NATS_URL };
}

/** Starts `nats-server -js` as a child (JetStream data in .vantage/nats) and waits until it answers. */
export async function startNatsServer(binary: string, host: string, port: number): Promise<ManagedProcess> {
  const storeDir = statePath('nats');
  mkdirSync(storeDir, { recursive: true });
  const server = new ManagedProcess({
    name: 'nats',
    command: binary,
    args: ['-js', '-a', host, '-p', String(port), '-sd', storeDir],
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
