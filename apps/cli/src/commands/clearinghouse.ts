// Findings and cases: anyone who found a vulnerability (an agency, a lab, the clearinghouse) submits it; the
// clearinghouse's analysts move cases and register vendors; advisories are read by those with need-to-know, and by
// anyone once disclosed.
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { unwrap } from '@vantage/client';
import type { components } from '@vantage/client';
import type { Context } from '../main';

type FindingBody = components['schemas']['SubmitFindingRequest'];
type CaseState = 'new' | 'triaged' | 'vendor-notified' | 'fix-available' | 'disclosed' | 'rejected' | 'duplicate';
import { findingFromFile } from '../manifest';
import { table } from '../output';
import { UsageError } from '../profiles';

export function registerClearinghouse(program: Command, ctx: () => Context): void {
  const findings = program.command('findings').description('Vulnerability findings');
  findings
    .command('submit')
    .description('Report a vulnerability from a file (YAML or JSON; a proof of concept from proofOfConceptFile, never written in the file)')
    .requiredOption('-f, --file <finding>', 'the finding')
    .option('--idempotency-key <key>', 'the same key and finding answer the first report again')
    .action(async (opts: { file: string; idempotencyKey?: string }) => {
      const c = ctx();
      const body = findingFromFile(opts.file, c.env);
      // The file is the API's body as written; the API checks it and names any field it refuses.
      const r = await unwrap(c.client().POST('/v1/findings', { body: body as unknown as FindingBody, headers: opts.idempotencyKey ? { 'Idempotency-Key': opts.idempotencyKey } : {} }));
      c.out.result(r, () => `finding ${r.findingId} → case ${r.caseId}${r.duplicate ? ' (a duplicate of a case under coordination)' : ''}; severity ${r.severity?.baseSeverity ?? '?'} ${r.severity?.baseScore ?? ''}`);
    });

  const cases = program.command('cases').description('Vulnerability cases you have need-to-know for');
  cases
    .command('list')
    .option('--state <state>', 'only cases in this state')
    .action(async (opts: { state?: string }) => {
      const c = ctx();
      const page = await unwrap(c.client().GET('/v1/cases', { params: { query: opts.state ? { state: opts.state as CaseState } : {} } }));
      const items = page.items;
      c.out.result(page, () => (items.length ? table(['CASE', 'STATE', 'SEVERITY', 'EMBARGO UNTIL', 'TITLE'], items.map((k) => [k.id, k.state, `${k.severity?.baseSeverity ?? ''} ${k.severity?.baseScore ?? ''}`.trim(), k.deadlineAt, k.title])) : 'no cases you may see'));
    });
  cases
    .command('get <caseId>')
    .action(async (id: string) => {
      const c = ctx();
      const k = await unwrap(c.client().GET('/v1/cases/{id}', { params: { path: { id } } }));
      c.out.result(k, () => [
        `${k.id}  ${k.state}  ${k.title}`,
        `  severity ${k.severity?.baseSeverity ?? '?'} ${k.severity?.baseScore ?? ''}; embargo until ${k.deadlineAt ?? '-'}`,
        ...k.findings.map((f) => `  finding ${f.id} by ${f.reporterOrgId} at ${f.reportedAt}`),
        ...k.vendors.map((v) => `  vendor ${v.name} (${v.id}): ${v.status}`),
      ]);
    });
  cases
    .command('transition <caseId>')
    .description('Move a case in its workflow (analysts): an illegal move is refused')
    .requiredOption('--to <state>', 'the state to move to')
    .requiredOption('--note <text>', 'why')
    .action(async (id: string, opts: { to: CaseState; note: string }) => {
      const c = ctx();
      const k = await unwrap(c.client().POST('/v1/cases/{id}/transitions', { params: { path: { id } }, body: { to: opts.to, note: opts.note } }));
      c.out.result(k, () => `${id}: ${k.state ?? opts.to}`);
    });

  program
    .command('advisory <caseId>')
    .description('The advisory of a case, in OSV, CSAF 2.0 or CVE JSON 5')
    .option('--format <format>', 'osv, csaf or cve', 'osv')
    .option('-o, --out <file>', 'write it to a file instead of standard output')
    .action(async (id: string, opts: { format: string; out?: string }) => {
      const c = ctx();
      if (!['osv', 'csaf', 'cve'].includes(opts.format)) throw new UsageError('--format must be osv, csaf or cve');
      const doc = await unwrap(c.client().GET('/v1/cases/{id}/advisory', { params: { path: { id }, query: { format: opts.format as 'osv' } } }));
      const text = JSON.stringify(doc, null, 2);
      if (opts.out) {
        writeFileSync(opts.out, `${text}\n`);
        c.out.note(`wrote ${opts.out}`);
      } else process.stdout.write(`${c.out.json ? JSON.stringify(doc) : text}\n`);
    });

  program
    .command('vendors')
    .description('Register a vendor to coordinate with (analysts)')
    .command('create')
    .requiredOption('--name <name>')
    .requiredOption('--purl-prefix <prefix...>', 'package URL prefixes of its products (pkg:npm/libfoo …)')
    .requiredOption('--contact-url <url>', 'how to reach it (https: or mailto:)')
    .action(async (opts: { name: string; purlPrefix: string[]; contactUrl: string }) => {
      const c = ctx();
      const v = await unwrap(c.client().POST('/v1/vendors', { body: { name: opts.name, purlPrefixes: opts.purlPrefix, contactUrl: opts.contactUrl } }));
      c.out.result(v, () => `vendor ${v.id}: ${opts.name}`);
    });
}
