// `npm run migrate [-- service...]`: prepares the database (roles and schemas) and runs the named services'
// migrations (all by default). It uses a running Postgres only: DATABASE_URL (the admin URL), else
// 127.0.0.1:5432, else the embedded cluster of a running `npm start`. It never starts one.
import { SERVICE_NAMES, ServiceName } from '@vantage/persistence';
import { fail, reserveTagWidth, say } from './log';
import { adminUrlFromEnv, databaseNameFromEnv, embeddedPortFromEnv, prepareDatabase, probePostgres, redactUrl, runningEmbeddedCluster } from './postgres';
import { migrate, missingMainFiles } from './services';

const USAGE = `Usage: npm run migrate [-- service...]

Creates the database, the service roles and their schemas if missing, then runs the migrations of the
named services (default: all of ${SERVICE_NAMES.join(', ')}).
Postgres: DATABASE_URL (an administrative URL), else postgres://postgres@127.0.0.1:5432/postgres, else the
embedded Postgres of a running npm start. Database: VANTAGE_DATABASE (default vantage).`;

async function findAdminUrl(): Promise<string> {
  const adminUrl = adminUrlFromEnv();
  const probe = await probePostgres(adminUrl);
  if (probe.state === 'up') return adminUrl;
  if (probe.state === 'refused') throw new Error(`Postgres at ${redactUrl(adminUrl)} refuses us: ${probe.reason}`);
  if (!process.env.DATABASE_URL) {
    const embedded = await runningEmbeddedCluster();
    if (embedded) {
      say(`no Postgres at ${redactUrl(adminUrl)}; using the embedded Postgres of npm start on 127.0.0.1:${embeddedPortFromEnv()}`);
      return embedded;
    }
  }
  throw new Error(
    `no Postgres answers at ${redactUrl(adminUrl)} (${probe.reason}). Start Postgres, set DATABASE_URL to an administrative URL, ` +
      'or run npm start (which starts an embedded Postgres when none answers).',
  );
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const unknown = argv.filter((a) => !(SERVICE_NAMES as string[]).includes(a));
  if (unknown.length > 0) {
    fail(`unknown service ${unknown.join(', ')}; the services are ${SERVICE_NAMES.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const services = argv.length > 0 ? (argv as ServiceName[]) : SERVICE_NAMES;
  reserveTagWidth([...services, 'start']);
  const missing = missingMainFiles(services);
  if (missing.length > 0) {
    fail(`these services have no entry point yet: ${missing.join(', ')}`);
    process.exitCode = 1;
    return;
  }
  try {
    const adminUrl = await findAdminUrl();
    const database = databaseNameFromEnv();
    const databaseUrls = await prepareDatabase(adminUrl, database, services);
    say(`database "${database}" on ${redactUrl(adminUrl)}: roles and schemas in place`);
    for (const service of services) {
      // Migrations read DATABASE_URL and nothing else (no NATS credentials, no keys).
      say(`migrating ${service}…`);
      await migrate(service, { ...process.env, DATABASE_URL: databaseUrls[service] });
      say(`${service} migrated; it connects as DATABASE_URL=${redactUrl(databaseUrls[service])}`);
    }
  } catch (err) {
    fail((err as Error).message);
    process.exitCode = 1;
  }
}
