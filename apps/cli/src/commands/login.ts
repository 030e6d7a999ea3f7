// vantage login / profiles: which gateway and which organisation's key a command speaks as.
import { Command } from 'commander';
import { createVantageClient, unwrap } from '@vantage/client';
import type { Context } from '../main';
import { table } from '../output';
import { readStore, saveProfile, UsageError, writeStore } from '../profiles';
import { readSecret } from '../prompt';

export function registerLogin(program: Command, ctx: () => Context): void {
  program
    .command('login')
    .description('Save a profile: the gateway (--url) and an API key, read from standard input or a hidden prompt (never from the command line), checked against the gateway')
    .option('--name <profile>', 'the profile to save (default: the --profile option, else "default")')
    .action(async (opts: { name?: string }, cmd: Command) => {
      const c = ctx();
      const globals = cmd.optsWithGlobals<{ profile?: string; url?: string }>();
      if (!globals.url) throw new UsageError("--url is required: the gateway's URL, e.g. vantage login --url https://vantage.gov.example");
      const url = globals.url;
      const name = opts.name ?? globals.profile ?? 'default';
      const apiKey = (await readSecret(c.stdin, 'API key (vnt_…): ')).trim();
      if (!/^vnt_[A-Za-z0-9_-]+$/.test(apiKey)) throw new UsageError('the API key must look like vnt_<id>_<secret>');
      const me = await unwrap(createVantageClient({ baseUrl: url, apiKey }).GET('/v1/me'));
      saveProfile(name, { url, apiKey }, c.env);
      c.out.result({ profile: name, ...me }, () => `logged in as ${me.kind} ${me.orgId} at ${url} (profile "${name}")`);
    });

  program
    .command('whoami')
    .description('The organisation the current profile speaks for')
    .action(async () => {
      const c = ctx();
      const me = await unwrap(c.client().GET('/v1/me'));
      c.out.result(me, () => `${me.kind} ${me.orgId}${me.clearance ? ` (clearance ${me.clearance})` : ''} at ${c.profile().url}, key ${me.keyId}`);
    });

  const profiles = program.command('profiles').description('Saved profiles');
  profiles
    .command('list')
    .description('Every profile (keys are not shown)')
    .action(() => {
      const c = ctx();
      const store = readStore(c.env);
      const rows = Object.entries(store.profiles).map(([name, p]) => ({ name, url: p.url, current: name === store.current }));
      c.out.result(rows, () => table(['', 'PROFILE', 'URL'], rows.map((r) => [r.current ? '*' : '', r.name, r.url])));
    });
  profiles
    .command('use <name>')
    .description('Make a profile the current one')
    .action((name: string) => {
      const c = ctx();
      const store = readStore(c.env);
      if (!store.profiles[name]) throw new UsageError(`no profile "${name}"`);
      store.current = name;
      writeStore(store, c.env);
      c.out.result({ current: name }, () => `current profile: ${name}`);
    });
  profiles
    .command('remove <name>')
    .description('Forget a profile and its key')
    .action((name: string) => {
      const c = ctx();
      const store = readStore(c.env);
      if (!store.profiles[name]) throw new UsageError(`no profile "${name}"`);
      delete store.profiles[name];
      if (store.current === name) delete store.current;
      writeStore(store, c.env);
      c.out.result({ removed: name }, () => `removed ${name}`);
    });
}
