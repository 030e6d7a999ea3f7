// The bus's trust on one machine: the NATS operator and account seeds, one NATS user per service (a `.creds` file
// with exactly its rights) and an admin user, each service's identity seed, and the directory of their public keys.
// Made once into .vantage/ and kept, so the JetStream data of earlier runs stays readable (it belongs to the
// account) and the services keep their identities.
import { mkdirSync, writeFileSync } from 'node:fs';
import { newIdentitySeed, ServiceIdentity } from '@vantage/crypto';
import { accountPublicKey, adminCreds, checkNatsTrust, createNatsTrust, NatsTrust, serviceCreds } from '@vantage/messaging';
import { SERVICE_NAMES, ServiceName } from '@vantage/persistence';
import { readOrCreateSecretMap, readStateJson, statePath, writeStateJson } from './state';

export const NATS_DIR = 'nats';

export interface BusTrust {
  trust: NatsTrust;
  /** `.creds` file of each service, and of the admin user (operators' tools: `nats --creds`). */
  credsFiles: Record<ServiceName, string>;
  adminCredsFile: string;
  identitySeeds: Record<ServiceName, string>;
  /** VANTAGE_SERVICE_KEYS: every service's public keys. */
  serviceKeys: string;
}

/** The NATS trust kept in .vantage/nats/trust.json (made the first time), for the deployment's subject prefix. */
export function localNatsTrust(prefix: string): { trust: NatsTrust; created: boolean } {
  const file = `${NATS_DIR}/trust.json`;
  const kept = readStateJson<NatsTrust>(file);
  if (kept) {
    try {
      // The seeds are what must stay; the prefix is today's (the feed role's template is made from it).
      return { trust: { ...checkNatsTrust(kept), prefix }, created: false };
    } catch {
      // unreadable: made again below (the old streams' data is then no longer reachable)
    }
  }
  const trust = createNatsTrust(prefix);
  mkdirSync(statePath(NATS_DIR), { recursive: true });
  writeStateJson(file, trust);
  return { trust, created: true };
}

/** Writes every service's `.creds` (and the admin's) into .vantage/nats/, and reads or makes their identities. */
export async function prepareBus(trust: NatsTrust): Promise<BusTrust> {
  mkdirSync(statePath(NATS_DIR), { recursive: true });
  const write = (name: string, text: string) => {
    const file = statePath(NATS_DIR, name);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const credsFiles = {} as Record<ServiceName, string>;
  for (const service of SERVICE_NAMES) credsFiles[service] = write(`${service}.creds`, await serviceCreds(trust, service));
  const adminCredsFile = write('admin.creds', await adminCreds(trust));
  const identitySeeds = readOrCreateSecretMap('service-identities.json', SERVICE_NAMES, newIdentitySeed) as Record<ServiceName, string>;
  const entries = await Promise.all(SERVICE_NAMES.map(async (s) => (await ServiceIdentity.fromSeed(s, identitySeeds[s])).directoryEntry));
  return { trust, credsFiles, adminCredsFile, identitySeeds, serviceKeys: entries.join(',') };
}

/** The settings that connect `service` to the bus and let it prove who it is. */
export function busSettings(bus: BusTrust, service: ServiceName): Record<string, string> {
  return {
    NATS_CREDS_FILE: bus.credsFiles[service],
    VANTAGE_IDENTITY_KEY: bus.identitySeeds[service],
    VANTAGE_SERVICE_KEYS: bus.serviceKeys,
    // The gateway issues organisations their feed users with the scoped feed signer.
    ...(service === 'intake' ? { VANTAGE_FEED_SIGNING_KEY: bus.trust.feedSignerSeed, VANTAGE_NATS_ACCOUNT: accountPublicKey(bus.trust) } : {}),
  };
}
