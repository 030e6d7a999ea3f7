// How many calls one endpoint gets at once. AIMD, like TCP: a 429 halves the limit (the lab told us we are
// too fast), a streak of successes as long as the limit adds one. Until the first 429 it is in slow start, as
// TCP is: every success adds one, so the limit doubles each round of calls and a run against a lab with room
// reaches the maximum in a few round trips instead of hundreds of calls. Bounded both ways so that one bad
// minute cannot stop a run and a quiet one cannot flood the lab.
export class AdaptiveLimiter {
  private inFlight = 0;
  private streak = 0;
  private slowStart = true;
  private readonly waiters: Array<() => void> = [];
  limit: number;

  constructor(
    readonly min: number,
    readonly max: number,
    initial: number,
  ) {
    this.limit = Math.max(min, Math.min(max, initial));
  }

  get active(): number {
    return this.inFlight;
  }

  /** Resolves when a slot is free; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.inFlight < this.limit) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.inFlight++;
        resolve();
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  /** Frees the slot and adapts: 'throttled' halves, 'ok' counts toward +1, 'failed' leaves the limit alone. */
  release(outcome: 'ok' | 'throttled' | 'failed'): void {
    this.inFlight--;
    if (outcome === 'throttled') {
      this.limit = Math.max(this.min, Math.floor(this.limit / 2));
      this.streak = 0;
      this.slowStart = false;
    } else if (outcome === 'ok' && this.slowStart) {
      this.limit = Math.min(this.max, this.limit + 1);
    } else if (outcome === 'ok' && ++this.streak >= this.limit) {
      this.limit = Math.min(this.max, this.limit + 1);
      this.streak = 0;
    }
    while (this.inFlight < this.limit && this.waiters.length) this.waiters.shift()!();
  }
}
