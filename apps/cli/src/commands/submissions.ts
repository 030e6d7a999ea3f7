// A lab's commands: submit a model from a manifest, list and read its submissions, reschedule, rotate the endpoint's
// credential, withdraw, declare the release; read the window, the decision and the access log. Nothing here can
// approve, hold or block a release: the programme is voluntary, and every change takes effect at once.
import { Command } from 'commander';
import { unwrap } from '@vantage/client';
import type { components } from '@vantage/client';
import type { Context } from '../main';
import { submissionFromManifest } from '../manifest';
import { table } from '../output';
import { UsageError } from '../profiles';

function isoTime(value: string, option: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`${option} must be a time (RFC 3339, e.g. 2026-12-20T00:00:00Z)`);
  return new Date(t).toISOString();
}

type Submission = components['schemas']['SubmissionView'];
type SubmissionBody = components['schemas']['CreateSubmissionDto'];

const submissionLine = (s: Submission) => `${s.id}  ${s.status}  ${s.model.name}@${s.model.version}  release ${s.plannedReleaseAt}`;

export function registerSubmissions(program: Command, ctx: () => Context): void {
  const submissions = program.command('submissions').alias('sub').description("A lab's model submissions");

  submissions
    .command('submit')
    .description('Submit a model from a manifest (YAML or JSON; the endpoint key from endpoint.apiKeyEnv or endpoint.apiKeyFile)')
    .requiredOption('-f, --file <manifest>', 'the manifest')
    .option('--idempotency-key <key>', 'the same key and manifest answer the first submission again (default: a new key per call)')
    .action(async (opts: { file: string; idempotencyKey?: string }) => {
      const c = ctx();
      // YAML 1.2's core schema keeps times as written: the API reads them (RFC 3339).
      const body = submissionFromManifest(opts.file, c.env);
      // The manifest is the API's body as written; the API checks it and names any field it refuses.
      const s = await unwrap(c.client().POST('/v1/submissions', { body: body as unknown as SubmissionBody, headers: opts.idempotencyKey ? { 'Idempotency-Key': opts.idempotencyKey } : {} }));
      c.out.result(s, () => `submitted: ${submissionLine(s)}`);
    });

  submissions
    .command('list')
    .description('Your submissions (an operator: all)')
    .action(async () => {
      const c = ctx();
      const page = await unwrap(c.client().GET('/v1/submissions'));
      const items = page.items;
      c.out.result(page, () => (items.length ? table(['ID', 'STATUS', 'MODEL', 'PLANNED RELEASE'], items.map((s) => [s.id, s.status, `${s.model.name}@${s.model.version}`, s.plannedReleaseAt])) : 'no submissions'));
    });

  submissions
    .command('get <id>')
    .description('One submission')
    .action(async (id: string) => {
      const c = ctx();
      const s = await unwrap(c.client().GET('/v1/submissions/{id}', { params: { path: { id } } }));
      c.out.result(s, () => submissionLine(s));
    });

  submissions
    .command('reschedule <id>')
    .description('Move the planned public release; the window is recomputed within the programme rules at once')
    .requiredOption('--release-at <time>', 'the new planned release (RFC 3339)')
    .action(async (id: string, opts: { releaseAt: string }) => {
      const c = ctx();
      const s = await unwrap(c.client().PATCH('/v1/submissions/{id}', { params: { path: { id } }, body: { plannedReleaseAt: isoTime(opts.releaseAt, '--release-at') } }));
      c.out.result(s, () => `rescheduled: ${submissionLine(s)}`);
    });

  submissions
    .command('rotate <id>')
    .description("Replace the model endpoint's credential (and optionally its URL or model id), read from an environment variable or a file")
    .option('--api-key-env <variable>', 'the environment variable holding the new key')
    .option('--api-key-file <file>', 'the file holding the new key')
    .option('--base-url <url>', 'a new endpoint URL')
    .option('--model-id <id>', 'a new model id')
    .action(async (id: string, opts: { apiKeyEnv?: string; apiKeyFile?: string; baseUrl?: string; modelId?: string }) => {
      const c = ctx();
      const { readFileSync } = await import('node:fs');
      if (!!opts.apiKeyEnv === !!opts.apiKeyFile) throw new UsageError('give one of --api-key-env or --api-key-file');
      const apiKey = opts.apiKeyEnv ? c.env[opts.apiKeyEnv] : readFileSync(opts.apiKeyFile!, 'utf8').trim();
      if (!apiKey) throw new UsageError(`${opts.apiKeyEnv} is not set`);
      const current = await unwrap(c.client().GET('/v1/submissions/{id}', { params: { path: { id } } }));
      const endpoint = { baseUrl: opts.baseUrl ?? current.endpoint?.baseUrl, modelId: opts.modelId ?? current.endpoint?.modelId, apiKey };
      const s = await unwrap(c.client().PATCH('/v1/submissions/{id}', { params: { path: { id } }, body: { endpoint } }));
      c.out.result(s, () => `credential rotated: ${submissionLine(s)}`);
    });

  for (const [verb, what] of [
    ['withdraw', 'Withdraw: the window is cancelled and every grant revoked at once'],
    ['release', 'Declare the public release: the window closes at once'],
  ] as const) {
    const command = submissions
      .command(`${verb} <id>`)
      .description(what)
      .option('--yes', 'do it without asking (the effect is immediate and cannot be undone)');
    if (verb === 'release') command.option('--released-at <time>', 'when it was released (default: now)');
    command.action(async (id: string, opts: { yes?: boolean; releasedAt?: string }) => {
      const c = ctx();
      if (!opts.yes) throw new UsageError(`${verb} takes effect at once and cannot be undone: add --yes to ${verb} ${id}`);
      const path = verb === 'withdraw' ? '/v1/submissions/{id}/withdraw' : '/v1/submissions/{id}/release';
      const body = verb === 'release' && opts.releasedAt ? { releasedAt: isoTime(opts.releasedAt, '--released-at') } : {};
      const s = await unwrap(c.client().POST(path as '/v1/submissions/{id}/release', { params: { path: { id } }, body }));
      c.out.result(s, () => `${verb === 'withdraw' ? 'withdrawn' : 'released'}: ${submissionLine(s)}`);
    });
  }

  program
    .command('window <submissionId>')
    .description("A submission's access window: when it opens and closes, and the grants (the lab, a granted agency, an operator)")
    .action(async (id: string) => {
      const c = ctx();
      const w = await unwrap(c.client().GET('/v1/submissions/{id}/window', { params: { path: { id } } }));
      c.out.result(w, () => [
        `${w.state}: ${w.opensAt} → ${w.closesAt}${w.closedReason ? ` (${w.closedReason})` : ''}`,
        ...w.grants.map((g) => `  grant ${g.agencyId} ${g.state}`),
      ]);
    });

  program
    .command('classification <submissionId>')
    .description('The frontier decision, as far as your clearance shows it (404 until decided)')
    .action(async (id: string) => {
      const c = ctx();
      const d = await unwrap(c.client().GET('/v1/submissions/{id}/classification', { params: { path: { id } } }));
      c.out.result(d, () => [`frontier: ${d.frontier} (policy ${d.policyVersion}, decided ${d.decidedAt})`, ...(d.basis ?? []).map((b: string) => `  ${b}`)]);
    });

  program
    .command('access-log <submissionId>')
    .description("Who called your model through the gateway: agency, time, status, tokens (the lab that owns it)")
    .action(async (id: string) => {
      const c = ctx();
      const page = await unwrap(c.client().GET('/v1/submissions/{id}/access-log', { params: { path: { id } } }));
      const items = page.items;
      c.out.result(page, () => (items.length ? table(['AT', 'AGENCY', 'STATUS', 'TOKENS IN', 'TOKENS OUT'], items.map((e) => [e.at, e.agencyId, e.status, e.promptTokens, e.completionTokens])) : 'no calls yet'));
    });
}
