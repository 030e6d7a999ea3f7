// Bounded waiting: a condition is polled until it holds, the deadline passes, or the wait is abandoned.

export class WaitTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not happen within ${Math.round(ms / 1000)} s`);
    this.name = 'WaitTimeoutError';
  }
}

export interface PollOptions {
  /** Says what is awaited, for the timeout error. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Rejecting this stops the wait with its error (a child process died, for instance). */
  abort?: Promise<never>;
}

/** Polls `check` until it returns true. Rejects with WaitTimeoutError after the bound. */
export async function pollUntil(check: () => Promise<boolean> | boolean, opts: PollOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 250;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = (async () => {
    for (;;) {
      if (stopped) return;
      if (await check()) return;
      if (Date.now() >= deadline) throw new WaitTimeoutError(opts.what, opts.timeoutMs);
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now())));
      });
    }
  })();
  loop.catch(() => undefined); // when the abort wins, the loop's own ending is of no interest
  try {
    await (opts.abort ? Promise.race([loop, opts.abort]) : loop);
  } finally {
    stopped = true;
    if (timer) clearTimeout(timer);
  }
}

/** Resolves with the promise's value, or rejects with WaitTimeoutError after the bound. */
export async function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WaitTimeoutError(what, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
