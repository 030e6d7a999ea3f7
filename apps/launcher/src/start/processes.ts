// Child processes of `npm start`: each in its own process group (so a terminal Ctrl-C reaches only the
// orchestrator, which then stops them in order), output prefixed line by line, recent lines kept.
import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { dim, renderLine, tag } from './log';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How many recent output lines to keep for the post-mortem. */
  keepLines?: number;
  /** Show the output as it comes (default true); when false it is only kept (and given to onLine). */
  echo?: boolean;
  onLine?: (line: string) => void;
  /** The signal that asks the process to stop (default SIGTERM; Postgres: SIGINT, a fast shutdown). */
  stopSignal?: NodeJS.Signals;
  uid?: number;
  gid?: number;
}

const running = new Set<ManagedProcess>();

// Last resort: if the orchestrator exits without stopping its children (an uncaught error), tell them to stop.
process.on('exit', () => {
  for (const p of running) p.signal(p.stopSignal);
});

export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  private readonly recent: string[] = [];
  private readonly keep: number;
  private exitInfo?: Exit;
  readonly stopSignal: NodeJS.Signals;
  /** Set when we asked the process to stop: its exit is then expected. */
  stopping = false;

  constructor(opts: ManagedProcessOptions) {
    this.name = opts.name;
    this.keep = opts.keepLines ?? 40;
    this.stopSignal = opts.stopSignal ?? 'SIGTERM';
    this.child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      uid: opts.uid,
      gid: opts.gid,
    });
    running.add(this);
    const echo = opts.echo ?? true;
    for (const [stream, out] of [
      [this.child.stdout, process.stdout],
      [this.child.stderr, process.stderr],
    ] as [Readable | null, NodeJS.WriteStream][]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.remember(line);
        opts.onLine?.(line);
        if (echo) out.write(`${tag(this.name)} ${renderLine(line)}\n`);
      });
    }
    this.exited = new Promise<Exit>((resolve) => {
      const done = (exit: Exit) => {
        if (this.exitInfo) return;
        this.exitInfo = exit;
        running.delete(this);
        resolve(exit);
      };
      this.child.on('error', (err) => {
        this.remember(`failed to start ${opts.command}: ${err.message}`);
        done({ code: 127, signal: null });
      });
      // 'close' comes after 'exit' once the output pipes are drained, so the last lines are all in.
      this.child.on('close', (code, signal) => done({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** The last lines the process wrote (stdout and stderr interleaved as they came). */
  lastLines(n = this.keep): string[] {
    return this.recent.slice(-n);
  }

  /** Prints the last lines, for a process that died or hung. */
  printLastLines(n = 25): void {
    const lines = this.lastLines(n);
    process.stderr.write(`${tag(this.name)} ${dim(`--- last ${lines.length} lines ---`)}\n`);
    for (const line of lines) process.stderr.write(`${tag(this.name)} ${line}\n`);
  }

  describeExit(): string {
    if (!this.exitInfo) return 'still running';
    return this.exitInfo.signal ? `killed by ${this.exitInfo.signal}` : `exit code ${this.exitInfo.code}`;
  }

  /** Signals the whole process group (the service and anything it started). */
  signal(sig: NodeJS.Signals): void {
    if (this.hasExited || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, sig);
    } catch {
      try {
        this.child.kill(sig);
      } catch {
        // already gone
      }
    }
  }

  /** The stop signal, then SIGKILL if it has not exited within the grace period. Says whether it stopped by itself. */
  async stop(graceMs = 10_000): Promise<{ clean: boolean; exit: Exit }> {
    this.stopping = true;
    if (this.exitInfo) return { clean: true, exit: this.exitInfo };
    this.signal(this.stopSignal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    if (timer) clearTimeout(timer);
    if (first !== 'timeout') return { clean: true, exit: first };
    this.signal('SIGKILL');
    return { clean: false, exit: await this.exited };
  }

  private remember(line: string): void {
    this.recent.push(line);
    if (this.recent.length > this.keep) this.recent.shift();
  }
}

/** Runs a command to completion with prefixed output; resolves with its exit and its last lines. */
export async function runToCompletion(opts: ManagedProcessOptions): Promise<{ ok: boolean; exit: Exit; process: ManagedProcess }> {
  const p = new ManagedProcess(opts);
  const exit = await p.exited;
  return { ok: exit.code === 0, exit, process: p };
}

/** Stops every given process at once, each with its own grace period. */
export async function stopAll(processes: ManagedProcess[], graceMs = 10_000): Promise<ManagedProcess[]> {
  const results = await Promise.all(processes.map(async (p) => ({ p, r: await p.stop(graceMs) })));
  return results.filter(({ r }) => !r.clean).map(({ p }) => p);
}
