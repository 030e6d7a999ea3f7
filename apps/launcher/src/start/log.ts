// Console output of `npm start`: one prefixed line per child output line, coloured only on a terminal.
import { format } from 'node:util';

const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const COLOURS = [36, 33, 35, 32, 34, 96, 93, 95];
let nextColour = 0;
const colourOf = new Map<string, number>();

export function paint(code: number, text: string): string {
  return useColour ? `\x1b[${code}m${text}\x1b[0m` : text;
}

export const bold = (s: string) => paint(1, s);
export const red = (s: string) => paint(31, s);
export const green = (s: string) => paint(32, s);
export const dim = (s: string) => paint(2, s);

let tagWidth = 10;

/** Makes every tag as wide as the longest name, so the output lines up. */
export function reserveTagWidth(names: string[]): void {
  tagWidth = Math.max(tagWidth, ...names.map((n) => n.length));
}

export function tag(name: string): string {
  let code = colourOf.get(name);
  if (code === undefined) {
    code = COLOURS[nextColour++ % COLOURS.length];
    colourOf.set(name, code);
  }
  return paint(code, `[${name.padEnd(tagWidth)}]`);
}

/** The orchestrator's own messages. */
export function say(...args: unknown[]): void {
  process.stdout.write(`${tag('start')} ${format(...args)}\n`);
}

export function warn(...args: unknown[]): void {
  process.stderr.write(`${tag('start')} ${paint(33, format(...args))}\n`);
}

export function fail(...args: unknown[]): void {
  process.stderr.write(`${tag('start')} ${red(format(...args))}\n`);
}

const LEVEL_COLOURS: Record<string, number> = { trace: 90, debug: 90, info: 32, warn: 33, error: 31, fatal: 41 };
const NUMERIC_LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'v']);

/**
 * A child's output line as shown. On a terminal, pino JSON lines are shown as `LEVEL [context] message {rest}`;
 * anywhere else (CI, a pipe, a file) the raw line is kept so it can still be parsed.
 */
export function renderLine(line: string): string {
  if (!useColour || !line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || entry.level === undefined) return line;
  const level = typeof entry.level === 'number' ? (NUMERIC_LEVELS[entry.level] ?? String(entry.level)) : String(entry.level);
  const rest = Object.fromEntries(Object.entries(entry).filter(([k]) => !HIDDEN.has(k) && k !== 'context'));
  const context = typeof entry.context === 'string' ? `${dim(entry.context)} ` : '';
  const extra = Object.keys(rest).length > 0 ? ` ${dim(JSON.stringify(rest))}` : '';
  return `${paint(LEVEL_COLOURS[level] ?? 0, level.toUpperCase().padEnd(5))} ${context}${String(entry.msg ?? '')}${extra}`;
}
