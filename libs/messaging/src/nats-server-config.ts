// A nats-server configuration for Vantage: JetStream on, authentication in operator (JWT) mode from the
// deployment's trust (nats-auth.ts), TLS when given, and cluster routes for a JetStream cluster. One writer for
// `npm start`, the tests' private servers and `npm run nats-auth` (compose and Kubernetes take its output).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { NatsTrust, serverAuthConfig } from './nats-auth';

export interface NatsServerSettings {
  host: string;
  port: number;
  storeDir: string;
  serverName?: string;
  /** Certificate and key (PEM files) the server presents; clients are then required to use TLS. */
  tls?: { certFile: string; keyFile: string };
  cluster?: { name: string; host: string; port: number; routes: string[] };
  /** Where the HTTP monitoring endpoint listens (`/healthz`); none when left out. */
  monitorPort?: number;
}

/** A double-quoted configuration string: `$` inside quotes is not a variable reference. */
const q = (value: string) => JSON.stringify(value);

export async function natsServerConfig(trust: NatsTrust, s: NatsServerSettings): Promise<string> {
  const lines = [
    '# Made by Vantage (libs/messaging nats-server-config.ts): regenerate rather than edit. Holds public JWTs only.',
    `listen: ${q(`${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`)}`,
    ...(s.serverName ? [`server_name: ${q(s.serverName)}`] : []),
    ...(s.monitorPort !== undefined ? [`http_port: ${s.monitorPort}`] : []),
    'jetstream {',
    `  store_dir: ${q(s.storeDir)}`,
    '}',
  ];
  if (s.tls) {
    lines.push('tls {', `  cert_file: ${q(s.tls.certFile)}`, `  key_file: ${q(s.tls.keyFile)}`, '  timeout: 5', '}');
  }
  if (s.cluster) {
    lines.push(
      'cluster {',
      `  name: ${q(s.cluster.name)}`,
      `  listen: ${q(`${s.cluster.host}:${s.cluster.port}`)}`,
      `  routes: [${s.cluster.routes.map(q).join(', ')}]`,
      '}',
    );
  }
  lines.push(await serverAuthConfig(trust), '');
  return lines.join('\n');
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
