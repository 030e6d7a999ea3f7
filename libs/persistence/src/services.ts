// The five services, the Postgres schema each owns, the role it connects as, and the messaging domain it owns
// (its stream `<PREFIX>_<DOMAIN>`, its events `<prefix>.<domain>.…`, its request subjects `<prefix>.rpc.<domain>.…`).
export const SERVICES = {
  intake: { schema: 'intake', domain: 'intake', defaultPort: 3000 },
  'window-scheduler': { schema: 'window', domain: 'window', defaultPort: 3001 },
  'benchmark-runner': { schema: 'bench', domain: 'bench', defaultPort: 3002 },
  'vuln-clearinghouse': { schema: 'vuln', domain: 'vuln', defaultPort: 3003 },
  notifier: { schema: 'notify', domain: 'notify', defaultPort: 3004 },
} as const;

export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

export function schemaOf(service: ServiceName): string {
  return SERVICES[service].schema;
}

/** The database role a service connects as: it has rights on its own schema only. */
export function roleOf(service: ServiceName): string {
  return `vantage_${SERVICES[service].schema}`;
}

export type ServiceDomain = (typeof SERVICES)[ServiceName]['domain'];

export function domainOf(service: ServiceName): ServiceDomain {
  return SERVICES[service].domain;
}

/** The service that owns a messaging domain. */
export function serviceOfDomain(domain: string): ServiceName | undefined {
  return SERVICE_NAMES.find((s) => SERVICES[s].domain === domain);
}
