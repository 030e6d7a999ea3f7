// Generates a NATS server configuration for the per-organisation feeds: JetStream on, one account, a service
// user with full rights for the Vantage services, and one user per organisation (username = organisation id)
// that may only read its own feed, `<prefix>.feed.<orgId>.>` in the `<PREFIX>_FEED` stream.
//
//   node -r ./apps/launcher/src/register.js deploy/nats/generate-config.ts --orgs orgs.json --out nats.conf
//
// orgs.json: [{ "id": "<orgId>", "password"?: "...", "consumers"?: ["alerts", ...] }, ...]
// Passwords not given are generated; every password is written to the secrets file (default <out>.secrets.json,
// mode 0600). Self-contained on purpose (Node built-ins only), so that it runs wherever the configuration is made.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

export interface FeedOrganisation {
  id: string;
  password?: string;
  /** Extra consumer names, used as `<orgId>_<name>`; the consumer named `<orgId>` is always allowed. */
  consumers?: string[];
}

export interface NatsConfigInput {
  orgs: FeedOrganisation[];
  /** VANTAGE_NATS_PREFIX of the services. */
  prefix?: string;
  port?: number;
  host?: string;
  storeDir?: string;
  serviceUser?: string;
  servicePassword?: string;
  account?: string;
}

export interface NatsUserSecret {
  user: string;
  password: string;
  /** The inbox prefix the user's client must use (`nats --inbox-prefix`, nats.js `inboxPrefix`). */
  inboxPrefix?: string;
}

export interface GeneratedNatsConfig {
  config: string;
  secrets: NatsUserSecret[];
  feedStream: string;
}

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** As libs/messaging's streamPrefix: `vantage` → `VANTAGE`. */
export function feedStreamName(prefix: string): string {
  return `${prefix.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_FEED`;
}

/** Each organisation's replies come to its own inbox prefix: with the shared `_INBOX.>` it could read others' fetches. */
export function inboxPrefixOf(orgId: string): string {
  return `_INBOX_${orgId}`;
}

export function consumerNamesOf(org: FeedOrganisation): string[] {
  return [org.id, ...(org.consumers ?? []).map((c) => `${org.id}_${c}`)];
}

/** What one organisation's user may publish and subscribe to: only what reading its own feed needs. */
export function organisationPermissions(org: FeedOrganisation, prefix: string): { publish: string[]; subscribe: string[] } {
  const stream = feedStreamName(prefix);
  const filter = `${prefix}.feed.${org.id}.>`;
  const publish = [
    '$JS.API.INFO',
    // Clients look the stream up before adding a consumer. It shows the stream's totals, not its messages.
    `$JS.API.STREAM.INFO.${stream}`,
  ];
  for (const name of consumerNamesOf(org)) {
    publish.push(
      // NATS 2.9's create API carries the filter subject in the subject, and the server refuses a configuration
      // whose filter differs from it: so this user can only make consumers that see its own subjects.
      `$JS.API.CONSUMER.CREATE.${stream}.${name}.${filter}`,
      `$JS.API.CONSUMER.INFO.${stream}.${name}`,
      `$JS.API.CONSUMER.DELETE.${stream}.${name}`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.${name}`,
      `$JS.ACK.${stream}.${name}.>`,
    );
  }
  return { publish, subscribe: [`${inboxPrefixOf(org.id)}.>`] };
}

export function generateNatsConfig(input: NatsConfigInput): GeneratedNatsConfig {
  const prefix = input.prefix ?? 'vantage';
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(prefix)) throw new Error(`prefix "${prefix}" must be one subject token`);
  const seen = new Set<string>();
  for (const org of input.orgs) {
    // An id with `.`, `*` or `>` would reach into other subjects; a duplicate would be two users of one name.
    if (!TOKEN.test(org.id)) throw new Error(`organisation id "${org.id}" must be letters, digits, _ or -`);
    if (seen.has(org.id)) throw new Error(`organisation id "${org.id}" appears twice`);
    seen.add(org.id);
    for (const c of org.consumers ?? []) if (!TOKEN.test(c)) throw new Error(`consumer name "${c}" of ${org.id} must be letters, digits, _ or -`);
  }
  // `<orgId>_<name>` of one organisation must not be another's consumer name: both users could then use it.
  const owners = new Map<string, string>();
  for (const org of input.orgs) {
    for (const name of consumerNamesOf(org)) {
      const owner = owners.get(name);
      if (owner !== undefined && owner !== org.id) throw new Error(`consumer name "${name}" would belong to both ${owner} and ${org.id}`);
      owners.set(name, org.id);
    }
  }
  const serviceUser = input.serviceUser ?? 'vantage-service';
  if (seen.has(serviceUser)) throw new Error(`the service user "${serviceUser}" is also an organisation id`);
  const secrets: NatsUserSecret[] = [{ user: serviceUser, password: input.servicePassword ?? newPassword() }];
  const users: string[] = [`      # The Vantage services: every subject.\n      { user: ${q(serviceUser)}, password: ${q(secrets[0].password)} }`];
  for (const org of input.orgs) {
    const password = org.password ?? newPassword();
    secrets.push({ user: org.id, password, inboxPrefix: inboxPrefixOf(org.id) });
    const p = organisationPermissions(org, prefix);
    users.push(
      [
        `      {`,
        `        user: ${q(org.id)}, password: ${q(password)}`,
        `        permissions: {`,
        `          publish: { allow: [${p.publish.map(q).join(', ')}] }`,
        `          subscribe: { allow: [${p.subscribe.map(q).join(', ')}] }`,
        `        }`,
        `      }`,
      ].join('\n'),
    );
  }
  const config = [
    '# Generated by deploy/nats/generate-config.ts: regenerate rather than edit. Holds passwords: keep it private.',
    `host: ${q(input.host ?? '0.0.0.0')}`,
    `port: ${input.port ?? 4222}`,
    `jetstream {`,
    `  store_dir: ${q(input.storeDir ?? '/data/nats')}`,
    `}`,
    `accounts {`,
    `  ${input.account ?? 'VANTAGE'} {`,
    `    jetstream: enabled`,
    `    users: [`,
    users.join('\n'),
    `    ]`,
    `  }`,
    `}`,
    '',
  ].join('\n');
  return { config, secrets, feedStream: feedStreamName(prefix) };
}

function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** A double-quoted NATS configuration string: `$` inside quotes is not a variable reference. */
function q(value: string): string {
  return JSON.stringify(value);
}

function main(argv: string[]): void {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`expected --name value pairs, got "${argv[i]}"`);
    args.set(argv[i].slice(2), argv[i + 1]);
  }
  const orgsFile = args.get('orgs');
  const out = args.get('out');
  if (!orgsFile || !out) throw new Error('usage: generate-config.ts --orgs orgs.json --out nats.conf [--secrets file] [--prefix vantage] [--port 4222] [--store-dir dir]');
  const parsed = JSON.parse(readFileSync(orgsFile, 'utf8'));
  const generated = generateNatsConfig({
    orgs: Array.isArray(parsed) ? parsed : parsed.orgs,
    prefix: args.get('prefix'),
    port: args.has('port') ? Number(args.get('port')) : undefined,
    host: args.get('host'),
    storeDir: args.get('store-dir'),
    servicePassword: process.env.NATS_SERVICE_PASSWORD,
  });
  const secretsFile = args.get('secrets') ?? `${out}.secrets.json`;
  writeFileSync(out, generated.config, { mode: 0o600 });
  writeFileSync(secretsFile, `${JSON.stringify(generated.secrets, null, 2)}\n`, { mode: 0o600 });
  process.stdout.write(`wrote ${out} (${generated.secrets.length - 1} organisation users, stream ${generated.feedStream}) and ${secretsFile}\n`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
