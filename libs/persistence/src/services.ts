// The five services, the Postgres schema each owns, and the role it connects as.
export const SERVICES = {
  intake: { schema: 'intake', defaultPort: 3000 },
  'window-scheduler': { schema: 'window', defaultPort: 3001 },
  'benchmark-runner': { schema: 'bench', defaultPort: 3002 },
  'vuln-clearinghouse': { schema: 'vuln', defaultPort: 3003 },
  notifier: { schema: 'notify', defaultPort: 3004 },
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
