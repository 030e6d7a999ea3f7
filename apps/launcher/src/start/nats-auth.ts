// `npm run nats-auth -- <command>`: the trust a deployment's bus is made of, for compose, Kubernetes or your own
// NATS (npm start makes its own into .vantage/). Run it where secrets may be written, keep its output private, and
// hand each file to the one that needs it (the layout below says who).
//
//   init   --out DIR [--prefix vantage]     new trust (NATS operator and account seeds, service identities) and
//                                          everything made from it; refuses to overwrite DIR/trust.json
//   render --out DIR [--prefix P]           everything made from DIR/trust.json again (after a change of prefix,
//                                          or of the services' rights in a new version); the prefix stays the
//                                          trust's own unless --prefix changes it
//   tls    --out DIR --hosts h1,h2,... [--new-ca]
//                                          a certificate for the NATS servers (openssl), for TLS where the deployment
//                                          has a network, signed by DIR/tls's CA (made the first time, kept after, so
//                                          renewing the certificate changes nothing for clients; --new-ca replaces it)
//
// DIR/trust.json, DIR/identities.json   secret: the seeds; keep offline once rendered
// DIR/server/auth.conf                  public: `include` it in the nats-server configuration
// DIR/creds/<service>.creds             secret: that service's NATS user, for its NATS_CREDS_FILE only
// DIR/creds/admin.creds                 secret: operators' tools (`nats --creds`), stream provisioning
// DIR/env/<service>.env                 secret: that service's VANTAGE_IDENTITY_KEY, VANTAGE_SERVICE_KEYS and, for
//                                       intake, the feed signer (VANTAGE_FEED_SIGNING_KEY, VANTAGE_NATS_ACCOUNT)
// DIR/service-keys                      public: VANTAGE_SERVICE_KEYS, the same for every service
// DIR/tls/{ca.pem,server.pem,server-key.pem}   from `tls`: the CA (public, NATS_TLS_CA_FILE) and the server's pair
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newIdentitySeed, ServiceIdentity } from '@vantage/crypto';
import { accountPublicKey, adminCreds, checkNatsTrust, createNatsTrust, NatsTrust, serverAuthConfig, serviceCreds } from '@vantage/messaging';
import { SERVICE_NAMES, ServiceName } from '@vantage/persistence';

const USAGE = `usage: npm run nats-auth -- <init|render|tls> --out DIR [--prefix vantage] [--hosts h1,h2] [--new-ca]
  init    new trust and everything made from it (never overwrites DIR/trust.json)
  render  everything made from DIR/trust.json again (its own prefix unless --prefix)
  tls     a NATS server certificate for the given host names, by DIR/tls's CA (made once; --new-ca replaces it; needs openssl)
See apps/launcher/src/start/nats-auth.ts for what each file is and who gets it.`;

function write(file: string, text: string, secret: boolean): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text, { mode: secret ? 0o600 : 0o644 });
  chmodSync(file, secret ? 0o600 : 0o644);
}

export async function render(out: string, prefix?: string): Promise<string[]> {
  const stored = checkNatsTrust(JSON.parse(readFileSync(join(out, 'trust.json'), 'utf8')));
  const trust: NatsTrust = { ...stored, prefix: prefix ?? stored.prefix };
  if (trust.prefix !== stored.prefix) write(join(out, 'trust.json'), `${JSON.stringify(trust, null, 2)}\n`, true);
  const identitiesFile = join(out, 'identities.json');
  const identities: Record<string, string> = existsSync(identitiesFile) ? JSON.parse(readFileSync(identitiesFile, 'utf8')) : {};
  for (const s of SERVICE_NAMES) identities[s] ??= newIdentitySeed();
  write(identitiesFile, `${JSON.stringify(identities, null, 2)}\n`, true);
  const serviceKeys = (await Promise.all(SERVICE_NAMES.map(async (s) => (await ServiceIdentity.fromSeed(s, identities[s])).directoryEntry))).join(',');
  const written = [join(out, 'server', 'auth.conf'), join(out, 'service-keys')];
  write(written[0], `# Vantage's NATS authentication (npm run nats-auth): include it in the server's configuration.\n${await serverAuthConfig(trust)}\n`, false);
  write(written[1], `${serviceKeys}\n`, false);
  for (const service of SERVICE_NAMES) {
    const creds = join(out, 'creds', `${service}.creds`);
    write(creds, await serviceCreds(trust, service), true);
    const env = join(out, 'env', `${service}.env`);
    write(env, serviceEnv(trust, service, identities[service], serviceKeys), true);
    written.push(creds, env);
  }
  const admin = join(out, 'creds', 'admin.creds');
  write(admin, await adminCreds(trust), true);
  written.push(admin);
  return written;
}

function serviceEnv(trust: NatsTrust, service: ServiceName, seed: string, serviceKeys: string): string {
  const lines = [`VANTAGE_NATS_PREFIX=${trust.prefix}`, `VANTAGE_IDENTITY_KEY=${seed}`, `VANTAGE_SERVICE_KEYS=${serviceKeys}`];
  if (service === 'intake') lines.push(`VANTAGE_FEED_SIGNING_KEY=${trust.feedSignerSeed}`, `VANTAGE_NATS_ACCOUNT=${accountPublicKey(trust)}`);
  return `${lines.join('\n')}\n`;
}

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.error) throw new Error(`openssl is needed for tls: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.trim()}`);
}

/**
 * A server certificate for `hosts` (valid 1 year), ECDSA P-256, signed by the CA in DIR/tls (valid 10 years; made when
 * there is none, or when `newCa`).
 */
export function makeTls(out: string, hosts: string[], opts: { newCa?: boolean } = {}): string[] {
  const dir = join(out, 'tls');
  mkdirSync(dir, { recursive: true });
  const f = (name: string) => join(dir, name);
  if (opts.newCa || !existsSync(f('ca.pem')) || !existsSync(f('ca-key.pem'))) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '3650', '-subj', '/CN=Vantage NATS CA', '-keyout', f('ca-key.pem'), '-out', f('ca.pem')]);
  }
  const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  writeFileSync(f('server.ext'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${hosts[0]}`, '-keyout', f('server-key.pem'), '-out', f('server.csr')]);
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem'), '-CAcreateserial', '-days', '365', '-extfile', f('server.ext'), '-out', f('server.pem')]);
  for (const secret of ['ca-key.pem', 'server-key.pem']) chmodSync(f(secret), 0o600);
  return [f('ca.pem'), f('server.pem'), f('server-key.pem')];
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, prefix: { type: 'string' }, hosts: { type: 'string' }, 'new-ca': { type: 'boolean' } }, strict: true });
  const out = values.out;
  const prefix = values.prefix;
  if (!command || !out || !['init', 'render', 'tls'].includes(command)) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 2 : 0;
  }
  if (command === 'init') {
    if (existsSync(join(out, 'trust.json'))) throw new Error(`${join(out, 'trust.json')} exists: a new trust would lock the streams' data away from their account; use render`);
    write(join(out, 'trust.json'), `${JSON.stringify(createNatsTrust(prefix ?? 'vantage'), null, 2)}\n`, true);
  }
  if (command === 'tls') {
    const hosts = (values.hosts ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    if (hosts.length === 0) throw new Error('--hosts is required: the names clients reach the NATS servers by');
    for (const f of makeTls(out, hosts, { newCa: values['new-ca'] })) process.stdout.write(`wrote ${f}\n`);
    return 0;
  }
  for (const f of await render(out, prefix)) process.stdout.write(`wrote ${f}\n`);
  return 0;
}
