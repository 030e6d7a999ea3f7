// An operator's commands, through the API (never the database): organisations, their keys, benchmark suites.
import { Command } from 'commander';
import { unwrap } from '@vantage/client';
import type { components } from '@vantage/client';
import type { Context } from '../main';

// The API names the field when a value is not one of these: the command line passes what it is given.
type OrgKind = components['schemas']['CreateOrganisationDto']['kind'];
type Clearance = NonNullable<components['schemas']['CreateOrganisationDto']['clearance']>;
import { readDocument } from '../manifest';
import { table } from '../output';
import { UsageError } from '../profiles';

export function registerAdmin(program: Command, ctx: () => Context): void {
  const orgs = program.command('orgs').description('Organisations (operators)');
  orgs
    .command('create')
    .requiredOption('--name <name>')
    .requiredOption('--kind <kind>', 'lab, agency, clearinghouse or operator')
    .option('--clearance <level>', 'agencies: unclassified, cui, secret or top-secret')
    .action(async (opts: { name: string; kind: OrgKind; clearance?: Clearance }) => {
      const c = ctx();
      const org = await unwrap(c.client().POST('/v1/orgs', { body: { name: opts.name, kind: opts.kind, ...(opts.clearance ? { clearance: opts.clearance } : {}) } }));
      c.out.result(org, () => `organisation ${org.id}: ${org.name} (${org.kind}${org.clearance ? `, ${org.clearance}` : ''})`);
    });

  const keys = program.command('keys').description("Organisations' API keys (operators)");
  keys
    .command('create')
    .description('Issue a key: it is printed this once, on standard output only')
    .requiredOption('--org <orgId>')
    .action(async (opts: { org: string }) => {
      const c = ctx();
      const key = await unwrap(c.client().POST('/v1/orgs/{orgId}/keys', { params: { path: { orgId: opts.org } } }));
      c.out.result(key, () => key.key);
      if (!c.out.json) c.out.note(`key ${key.id} for ${opts.org}: shown this once (vantage login reads it from standard input)`);
    });
  keys
    .command('revoke')
    .description('Revoke a key: it stops working at once')
    .requiredOption('--org <orgId>')
    .requiredOption('--key <keyId>')
    .action(async (opts: { org: string; key: string }) => {
      const c = ctx();
      await unwrap(c.client().DELETE('/v1/orgs/{orgId}/keys/{keyId}', { params: { path: { orgId: opts.org, keyId: opts.key } } }));
      c.out.result({ revoked: opts.key }, () => `revoked ${opts.key}`);
    });

  const suites = program.command('suites').description('Benchmark suites');
  suites
    .command('create')
    .description('Upload a suite (operators): a YAML or JSON file with name, version, classification, scorer, threshold?, items')
    .requiredOption('-f, --file <suite>')
    .action(async (opts: { file: string }) => {
      const c = ctx();
      const doc = readDocument(opts.file);
      if (!Array.isArray(doc.items)) throw new UsageError(`${opts.file}: items must be a list of {id, input, target}`);
      // The file is the API's body as written; the API checks it and names any field it refuses.
      const s = await unwrap(c.client().POST('/v1/suites', { body: doc as unknown as components['schemas']['CreateSuiteRequest'] }));
      c.out.result(s, () => `suite ${s.id}: ${s.name}@${s.version} (${s.classification}, ${s.itemCount ?? doc.items.length} items)`);
    });
  suites
    .command('list')
    .description("Suites' metadata, as far as your clearance goes")
    .action(async () => {
      const c = ctx();
      const page = await unwrap(c.client().GET('/v1/suites'));
      const items = page.items;
      c.out.result(page, () => (items.length ? table(['SUITE', 'VERSION', 'CLASSIFICATION', 'SCORER', 'THRESHOLD'], items.map((s) => [s.name, s.version, s.classification, s.scorer, s.threshold])) : 'no suites you may see'));
    });
}
