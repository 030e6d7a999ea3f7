// `npm run admin -- <command>`: the operator's command line for what only an operator may do, straight
// against intake's database (its own role, from DATABASE_URL or the local `npm start` state).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { SystemClock } from '@vantage/clock';
import { CLEARANCES, DomainError, ORG_KINDS, validatePayload } from '@vantage/contracts';
import { Matches } from 'class-validator';
import { DatabaseConfig, loadConfig, ServiceConfig } from '@vantage/config';
import { issueApiKey, newIdentitySeed, ServiceIdentity } from '@vantage/crypto';
import { EventOutbox } from '@vantage/messaging';
import { createServiceDataSource, SERVICE_NAMES } from '@vantage/persistence';
import { ENTITIES } from '../app.module';
import { MIGRATIONS } from '../migrations';
import { ApiKeyStore } from '../orgs/api-key-store';
import { CreateOrganisationUseCase } from '../orgs/create-organisation.use-case';
import { CreateOrganisationDto, organisationView } from '../orgs/dto/create-organisation.dto';
import { IssueApiKeyUseCase } from '../orgs/issue-api-key.use-case';
import { OrganisationStore } from '../orgs/organisation-store';
import { RevokeApiKeyUseCase } from '../orgs/revoke-api-key.use-case';

const USAGE = `usage: npm run admin -- <command> [options]

  new-key                                   print a fresh operator key for VANTAGE_BOOTSTRAP_OPERATOR_KEY
  new-encryption-key [--id ID]              print an AES-256 key entry for VANTAGE_ENCRYPTION_KEYS
  new-service-keys                          print an identity seed per service (VANTAGE_IDENTITY_KEY, secret, one each)
                                            and the directory of their public keys (VANTAGE_SERVICE_KEYS, the same for all)
  create-org --name NAME --kind KIND [--clearance LEVEL]
                                            kinds: ${ORG_KINDS.join(', ')}; clearance (agencies): ${CLEARANCES.join(', ')}
  create-key --org ORG_ID                   issue an API key (printed once)
  revoke-key --org ORG_ID --key KEY_ID      revoke a key at once
  list-orgs                                 every organisation

Database: DATABASE_URL (intake's role), else the one \`npm start\` set up under .vantage/.`;

/** What the commands that write need: intake's database, and the subject prefix of the events they record. */
class AdminConfig extends DatabaseConfig {
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'must be lowercase letters, digits, _ or -, starting with a letter' })
  VANTAGE_NATS_PREFIX = 'vantage';
}

function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const state = join(__dirname, '..', '..', '..', '..', '.vantage', 'database-urls.json');
  if (existsSync(state)) {
    const urls = JSON.parse(readFileSync(state, 'utf8')) as Record<string, string>;
    if (urls.intake) return urls.intake;
  }
  throw new DomainError('no_database', 2, 'set DATABASE_URL to intake\'s database URL (or run `npm start` once)');
}

async function withDatabase<T>(work: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = createServiceDataSource({ url: databaseUrl(), schema: 'intake', entities: ENTITIES, migrations: MIGRATIONS, poolSize: 2 });
  await ds.initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}

export async function runAdmin(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, kind: { type: 'string' }, clearance: { type: 'string' }, org: { type: 'string' }, key: { type: 'string' }, id: { type: 'string' } },
    strict: true,
  });
  const clock = new SystemClock();
  /** Organisations, with the outbox their creation records `organisation.created` in. */
  const organisations = () => new OrganisationStore(new EventOutbox({ service: 'intake', config: loadConfig(AdminConfig) as unknown as ServiceConfig }, clock));
  const need = (name: keyof typeof values) => {
    const v = values[name];
    if (!v) throw new DomainError('missing_option', 2, `--${name} is required`);
    return v;
  };
  switch (command) {
    case 'new-key':
      out(issueApiKey('operator').key);
      return 0;
    case 'new-encryption-key':
      out(`${values.id ?? `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`}:${randomBytes(32).toString('base64')}`);
      return 0;
    case 'new-service-keys': {
      const identities = await Promise.all(SERVICE_NAMES.map(async (s) => ({ service: s, seed: newIdentitySeed() })));
      const entries = await Promise.all(identities.map(async (i) => (await ServiceIdentity.fromSeed(i.service, i.seed)).directoryEntry));
      out('# Each service gets its own VANTAGE_IDENTITY_KEY (secret: give it to that service only); every service gets VANTAGE_SERVICE_KEYS.');
      for (const i of identities) out(`${i.service} VANTAGE_IDENTITY_KEY=${i.seed}`);
      out(`VANTAGE_SERVICE_KEYS=${entries.join(',')}`);
      return 0;
    }
    case 'create-org':
      return withDatabase(async (ds) => {
        const input = validatePayload(CreateOrganisationDto, {
          name: need('name'),
          kind: need('kind'),
          ...(values.clearance ? { clearance: values.clearance } : {}),
        }, 'organisation');
        const createOrganisation = new CreateOrganisationUseCase(organisations(), clock);
        const org = await ds.transaction((tx) => createOrganisation.execute(input, tx));
        out(JSON.stringify(organisationView(org)));
        return 0;
      });
    case 'create-key':
      return withDatabase(async (ds) => {
        const issueApiKey = new IssueApiKeyUseCase(organisations(), new ApiKeyStore(), clock);
        const issued = await ds.transaction((tx) => issueApiKey.execute({ orgId: need('org') }, tx));
        out(JSON.stringify({ id: issued.id, key: issued.key, createdAt: issued.createdAt.toISOString() }));
        return 0;
      });
    case 'revoke-key':
      return withDatabase(async (ds) => {
        // The gateways hear the revocation's NOTIFY when it commits.
        const revokeApiKey = new RevokeApiKeyUseCase(new ApiKeyStore(), clock);
        await ds.transaction((tx) => revokeApiKey.execute({ orgId: need('org'), keyId: need('key') }, tx));
        out('revoked');
        return 0;
      });
    case 'list-orgs':
      return withDatabase(async (ds) => {
        for (const org of await organisations().all(ds.manager)) out(JSON.stringify(organisationView(org)));
        return 0;
      });
    default:
      out(USAGE);
      return command ? 2 : 0;
  }
}

if (require.main === module) {
  runAdmin(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      const problems = e.errors ?? e.problems;
      const fields = problems ? `: ${problems.map((x: { field: string; message: string }) => `${x.field} ${x.message}`).join('; ')}` : '';
      process.stderr.write(`admin: ${e.message}${fields}\n`);
      process.exit(e.status === 2 ? 2 : 1);
    },
  );
}
