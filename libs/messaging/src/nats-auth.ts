// NATS authentication for a Vantage deployment, in NATS's decentralised (JWT) mode.
//
// An operator key signs two accounts: the system account (the server's own) and the Vantage account, in which
// every stream lives. The Vantage account has two signing keys:
//   - the service signer, which signs one user per service with exactly the rights of bus-rights.ts, and the admin
//     users of operators and tests (no limits inside the account). Only whoever provisions the deployment holds it.
//   - the feed signer, a scoped signing key: any user it signs gets the rights of the `feed-reader` role and no
//     others (the server applies the role's template, ignoring whatever the user JWT asks for). The gateway holds
//     it and issues each organisation, at run time, a user that can read its own feed and nothing else
//     (`POST /v1/feeds/credentials`). No server configuration changes when an organisation joins.
// Why JWTs issued by the gateway rather than the auth callout: the callout needs nats-server 2.10, and Debian's is
// 2.9; a scoped key also means that a gateway that is broken into can mint feed readers, never a service.
// Why feed users live in the Vantage account rather than their own: a consumer of another account's stream needs
// that account to export the JetStream API and delivery subjects per organisation; the role's template gives the
// same isolation (a user's consumers can only filter on its own feed subjects, its replies come to its own inbox)
// with nothing per organisation to configure.
//
// The server's part of the configuration (operator JWT, system account, accounts preloaded into a memory resolver)
// comes from `serverAuthConfig`; a user's credentials are the standard `.creds` file (JWT and seed) that nats.js
// (`credsAuthenticator`), the nats CLI (`--creds`) and every other NATS client read.
import { createAccount, createOperator, createUser, decode, encodeAccount, encodeOperator, encodeUser, fmtCreds, fromSeed, newScopedSigner } from '@nats-io/jwt';
import { ServiceName } from '@vantage/persistence';
import { servicePermissions, serviceInboxPrefix, SubjectPermissions } from './bus-rights';
import { feedStreamName } from './streams';

/** Everything secret a deployment's NATS authentication is made from (nkey seeds). Keep it private. */
export interface NatsTrust {
  /** VANTAGE_NATS_PREFIX of the deployment: the feed role's template names its subjects and stream. */
  prefix: string;
  operatorSeed: string;
  systemAccountSeed: string;
  accountSeed: string;
  serviceSignerSeed: string;
  feedSignerSeed: string;
}

/** What the gateway needs to issue feed credentials: the feed signer (scoped) and the account it signs for. */
export interface FeedSigner {
  feedSignerSeed: string;
  accountPublicKey: string;
}

export const FEED_ROLE = 'feed-reader';

const seedOf = (kp: { getSeed(): Uint8Array }) => new TextDecoder().decode(kp.getSeed());

export function createNatsTrust(prefix: string): NatsTrust {
  if (!/^[a-z][a-z0-9_-]{0,31}$/.test(prefix)) throw new Error(`prefix "${prefix}" must be lowercase letters, digits, _ or -`);
  return {
    prefix,
    operatorSeed: seedOf(createOperator()),
    systemAccountSeed: seedOf(createAccount()),
    accountSeed: seedOf(createAccount()),
    serviceSignerSeed: seedOf(createAccount()),
    feedSignerSeed: seedOf(createAccount()),
  };
}

/** Checks that a parsed trust file has every seed of the right kind; throws naming the bad field. */
export function checkNatsTrust(value: unknown): NatsTrust {
  const t = value as Partial<Record<keyof NatsTrust, unknown>>;
  const kinds: [keyof NatsTrust, string][] = [
    ['operatorSeed', 'SO'], ['systemAccountSeed', 'SA'], ['accountSeed', 'SA'], ['serviceSignerSeed', 'SA'], ['feedSignerSeed', 'SA'],
  ];
  if (typeof t?.prefix !== 'string') throw new Error('NATS trust: prefix is missing');
  for (const [field, start] of kinds) {
    const v = t[field];
    if (typeof v !== 'string' || !v.startsWith(start)) throw new Error(`NATS trust: ${field} must be an nkey seed starting with ${start}`);
    fromSeed(new TextEncoder().encode(v));
  }
  return t as NatsTrust;
}

const kp = (seed: string) => fromSeed(new TextEncoder().encode(seed));

export function accountPublicKey(trust: Pick<NatsTrust, 'accountSeed'>): string {
  return kp(trust.accountSeed).getPublicKey();
}

export function feedSignerOf(trust: NatsTrust): FeedSigner {
  return { feedSignerSeed: trust.feedSignerSeed, accountPublicKey: accountPublicKey(trust) };
}

/** Whatever an account may use: no limits but those of the server. */
const UNLIMITED = {
  subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1,
  mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1,
};

/**
 * The feed reader's rights, for the deployment's prefix. `{{name()}}` is the user's name (its organisation id);
 * `{{tag(consumer)}}` each consumer name the gateway put in its tags (`<orgId>` and `<orgId>_<name>`). A consumer can
 * only be created with a filter inside the user's own feed (NATS 2.9+ carries the filter in the create subject and
 * refuses a configuration whose filter differs), and nothing else of the stream is visible: no stream info, whose
 * `subjects_filter` would list other organisations' subjects, no consumer list.
 */
export function feedRolePermissions(prefix: string): SubjectPermissions {
  const stream = feedStreamName(prefix);
  return {
    publish: [
      '$JS.API.INFO',
      `$JS.API.CONSUMER.CREATE.${stream}.{{tag(consumer)}}.${prefix}.feed.{{name()}}.>`,
      `$JS.API.CONSUMER.INFO.${stream}.{{tag(consumer)}}`,
      `$JS.API.CONSUMER.DELETE.${stream}.{{tag(consumer)}}`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.{{tag(consumer)}}`,
      `$JS.ACK.${stream}.{{tag(consumer)}}.>`,
    ],
    subscribe: [`${feedInboxPrefix('{{name()}}')}.>`],
  };
}

/** An organisation's feed replies come to `_INBOX.<orgId>`: its client must use it as its inbox prefix. */
export function feedInboxPrefix(orgId: string): string {
  return `_INBOX.${orgId}`;
}

async function accountJwt(trust: NatsTrust): Promise<string> {
  const operator = kp(trust.operatorSeed);
  const feedRole = feedRolePermissions(trust.prefix);
  const scoped = newScopedSigner(kp(trust.feedSignerSeed), FEED_ROLE, {
    pub: { allow: feedRole.publish },
    sub: { allow: feedRole.subscribe },
  });
  return encodeAccount('VANTAGE', kp(trust.accountSeed), {
    signing_keys: [kp(trust.serviceSignerSeed).getPublicKey(), scoped],
    limits: UNLIMITED,
  }, { signer: operator });
}

/**
 * The authentication part of a nats-server configuration (operator mode, memory resolver): put it in the server's
 * configuration file beside `listen`, `jetstream` and `tls`. It holds only public JWTs.
 */
export async function serverAuthConfig(trust: NatsTrust): Promise<string> {
  const operator = kp(trust.operatorSeed);
  const system = kp(trust.systemAccountSeed);
  const operatorJwt = await encodeOperator('vantage', operator, { system_account: system.getPublicKey() });
  const systemJwt = await encodeAccount('SYS', system, {}, { signer: operator });
  return [
    `operator: ${operatorJwt}`,
    `system_account: ${system.getPublicKey()}`,
    'resolver: MEMORY',
    'resolver_preload: {',
    `  ${system.getPublicKey()}: ${systemJwt}`,
    `  ${accountPublicKey(trust)}: ${await accountJwt(trust)}`,
    '}',
  ].join('\n');
}

function creds(jwt: string, seed: Uint8Array | string): string {
  const user = typeof seed === 'string' ? kp(seed) : fromSeed(seed);
  return new TextDecoder().decode(fmtCreds(jwt, user));
}

async function signedUser(trust: NatsTrust, name: string, permissions?: SubjectPermissions & { respond?: boolean }, expiresAt?: Date): Promise<string> {
  const user = createUser();
  const jwt = await encodeUser(
    name,
    user,
    kp(trust.serviceSignerSeed),
    {
      issuer_account: accountPublicKey(trust),
      ...(permissions
        ? {
            pub: { allow: permissions.publish },
            sub: { allow: permissions.subscribe },
            // A service answers requests on its own subjects: replying to a requester's inbox needs no publish
            // right of its own, only this one-reply allowance for the requests it received.
            ...(permissions.respond ? { resp: { max: 1, ttl: 0 } } : {}),
          }
        : {}),
    },
    expiresAt ? { exp: Math.floor(expiresAt.getTime() / 1000) } : {},
  );
  return creds(jwt, user.getSeed());
}

/** A service's `.creds`: its user with exactly the rights bus-rights.ts gives it. */
export function serviceCreds(trust: NatsTrust, service: ServiceName, opts: { testClock?: boolean } = {}): Promise<string> {
  return signedUser(trust, `vantage-${service}`, { ...servicePermissions(service, trust.prefix, opts), respond: true });
}

/** A user with every right inside the account: for operators' tools, stream provisioning and tests' assertions. */
export function adminCreds(trust: NatsTrust, name = 'vantage-admin'): Promise<string> {
  return signedUser(trust, name);
}

/** A user with exactly the given rights (tests use it to prove what a connection without rights cannot do). */
export function limitedCreds(trust: NatsTrust, name: string, permissions: SubjectPermissions): Promise<string> {
  return signedUser(trust, name, permissions);
}

export interface FeedCredentials {
  /** The `.creds` file: the user's JWT and its secret seed. Shown once; Vantage keeps no copy. */
  creds: string;
  user: string;
  inboxPrefix: string;
  consumers: string[];
  expiresAt: Date;
}

/** Consumer names an organisation may use: its id, and `<orgId>_<name>` for each extra name. */
export function feedConsumerNames(orgId: string, extra: readonly string[] = []): string[] {
  return [orgId, ...extra.map((n) => `${orgId}_${n}`)];
}

/**
 * Issues an organisation's feed user, signed by the scoped feed signer: the role's template decides its rights.
 * Its name is the organisation id and its tags name its consumers (NATS lowercases nothing here; ids are lowercase).
 */
export async function issueFeedCredentials(signer: FeedSigner, orgId: string, opts: { consumers?: readonly string[]; expiresAt: Date }): Promise<FeedCredentials> {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(orgId)) throw new Error('an organisation id for a feed user must be lowercase letters, digits, _ or -');
  for (const n of opts.consumers ?? []) if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(n)) throw new Error(`consumer name "${n}" must be lowercase letters, digits, _ or -`);
  const consumers = feedConsumerNames(orgId, opts.consumers);
  const user = createUser();
  const jwt = await encodeUser(
    orgId,
    user,
    kp(signer.feedSignerSeed),
    { issuer_account: signer.accountPublicKey, tags: consumers.map((c) => `consumer:${c}`) },
    { scopedUser: true, exp: Math.floor(opts.expiresAt.getTime() / 1000) },
  );
  return { creds: creds(jwt, user.getSeed()), user: orgId, inboxPrefix: feedInboxPrefix(orgId), consumers, expiresAt: opts.expiresAt };
}

/** The public part of a `.creds` file: who the user is, and until when (never the seed). */
export function describeCreds(credsText: string): { name: string; publicKey: string; expiresAt?: Date } {
  const jwt = /-----BEGIN NATS USER JWT-----\s*([^\s-][^\n]*)\s*------END NATS USER JWT------/.exec(credsText)?.[1]?.trim();
  if (!jwt) throw new Error('not a NATS .creds file (no user JWT in it)');
  const claims = decode<{ name: string }>(jwt);
  return { name: claims.name, publicKey: claims.sub, ...(claims.exp ? { expiresAt: new Date(claims.exp * 1000) } : {}) };
}

export { serviceInboxPrefix };
