// What a command prints and the exit code it ends with: a table or lines for people, or the API's JSON with
// --json; an error names the code and the fields the API named, on standard error.
import { VantageApiError } from '@vantage/client';
import { UsageError } from './profiles';

/** Exit codes (documented in the README). */
export const EXIT = {
  ok: 0,
  /** The API refused the request (4xx other than below): `code` and the fields say why. */
  refused: 1,
  /** A wrong command, option or file: nothing was sent. */
  usage: 2,
  /** No key, an unknown key, or a key whose organisation may not do this (401, 403). */
  auth: 3,
  /** No such resource, or none you may see (404). */
  notFound: 4,
  /** The gateway or a service behind it failed or could not be reached (5xx, network); retrying may help. */
  unavailable: 5,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

export interface Out {
  json: boolean;
  /** A result: JSON as the API answered it with --json, else the human form. */
  result(value: unknown, human: () => string | string[]): void;
  /** Progress and notes, on standard error so that standard output stays the result. */
  note(line: string): void;
}

export function output(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Out {
  return {
    json,
    result(value, human) {
      if (json) stdout.write(`${JSON.stringify(value)}\n`);
      else {
        const text = human();
        stdout.write(`${Array.isArray(text) ? text.join('\n') : text}\n`);
      }
    },
    note(line) {
      stderr.write(`${line}\n`);
    },
  };
}

export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof VantageApiError) {
    if (e.status === 401 || e.status === 403) return EXIT.auth;
    if (e.status === 404) return EXIT.notFound;
    if (e.status >= 500 || e.status === 429) return EXIT.unavailable;
    return EXIT.refused;
  }
  return EXIT.unavailable;
}

export function describeError(e: unknown): string {
  if (e instanceof VantageApiError) {
    const lines = [`error: ${e.problem.code ?? e.status}: ${e.problem.detail ?? e.problem.title ?? 'refused'} (HTTP ${e.status})`];
    for (const f of e.problem.errors ?? []) lines.push(`  ${f.field}: ${f.message}`);
    return lines.join('\n');
  }
  if (e instanceof UsageError) return `error: ${e.message}`;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return `error: ${(e as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
}

/** A fixed-width table of rows. */
export function table(header: string[], rows: (string | number | undefined | null)[][]): string[] {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === undefined || c === null ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}
