// `vantage`: Vantage's public API from a terminal, built on the SDK (libs/client). Every command takes --json
// (the API's answer as one JSON document a line), --profile and --url; errors name the API's code and fields, and the
// exit code says what kind of failure it was (output.ts).
import { Command, CommanderError } from 'commander';
import { createVantageClient, VantageClient } from '@vantage/client';
import { registerAccess } from './commands/access';
import { registerAdmin } from './commands/admin';
import { registerClearinghouse } from './commands/clearinghouse';
import { registerEvents } from './commands/events';
import { registerLogin } from './commands/login';
import { registerSubmissions } from './commands/submissions';
import { describeError, EXIT, exitCodeOf, Out, output } from './output';
import { Profile, resolveProfile } from './profiles';

export interface Context {
  out: Out;
  profile(): Profile;
  client(): VantageClient;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: long-running commands (tail, listen, chat, watch) end cleanly. */
  signal: AbortSignal;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export const VERSION = '1.0.0';

export function buildProgram(ctx: () => Context): Command {
  const program = new Command('vantage')
    .description("Vantage's public API: submissions and windows (labs), model access, runs and events (agencies), findings and cases (analysts), organisations and keys (operators).")
    .version(VERSION)
    .option('--profile <name>', 'the profile to speak as (vantage login)')
    .option('--url <url>', "the gateway's URL, instead of the profile's")
    .option('--json', 'print the API answer as JSON (one document a line)')
    .showHelpAfterError()
    .exitOverride();
  registerLogin(program, ctx);
  registerAdmin(program, ctx);
  registerSubmissions(program, ctx);
  registerAccess(program, ctx);
  registerClearinghouse(program, ctx);
  registerEvents(program, ctx);
  return program;
}

export async function main(argv: string[], opts: { env?: NodeJS.ProcessEnv; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream; stdin?: Context['stdin'] } = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const holder: { program?: Command } = {};
  const context = (): Context => {
    const g = holder.program!.opts<{ profile?: string; url?: string; json?: boolean }>();
    const out = output(!!g.json, opts.stdout, opts.stderr);
    let profile: Profile | undefined;
    const getProfile = () => (profile ??= resolveProfile(g.profile, g.url, env));
    return {
      out,
      env,
      signal: controller.signal,
      stdin: opts.stdin ?? process.stdin,
      profile: getProfile,
      client: () => createVantageClient({ baseUrl: getProfile().url, apiKey: getProfile().apiKey, userAgent: `vantage-cli/${VERSION}` }),
    };
  };
  const program = buildProgram(context);
  holder.program = program;
  if (opts.stdout || opts.stderr) {
    program.configureOutput({ writeOut: (s) => void (opts.stdout ?? process.stdout).write(s), writeErr: (s) => void (opts.stderr ?? process.stderr).write(s) });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (controller.signal.aborted) return EXIT.interrupted;
    (opts.stderr ?? process.stderr).write(`${describeError(e)}\n`);
    return exitCodeOf(e);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
