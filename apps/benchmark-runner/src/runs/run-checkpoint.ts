// A run's checkpoint with group commit: what the workers record while one write is in flight goes out
// together in the next write, one multi-row statement in one transaction. A trial is written `asked` before
// its call starts (the worker reserves its next trial while the current call is out, so in a steady run the
// reservation is durable before it is needed and nobody waits), and its outcome replaces `asked` later.
// Workers never wait for an outcome's commit: the next call does not depend on it, and what a crash can lose
// is the same either way (answers not yet written); `asked` rows make that loss visible instead of silent.
// A group is held a few milliseconds to grow (fewer, larger writes) unless a worker is waiting on it.
import { DataSource } from 'typeorm';
import { BenchRunProgress } from '@vantage/contracts';
import { RunStore } from './run-store';
import { Outcome, Trial, TrialRecord, TrialStore } from './trial-store';

/** How long a group is held to grow before it is written, when no worker is waiting for it. */
const COALESCE_MS = 10;

/** A trial recorded `asked`: `ready` resolves once that is durable. */
export class Reservation {
  settled = false;
  constructor(readonly ready: Promise<void>) {
    ready.then(() => (this.settled = true), () => (this.settled = true));
  }
}

type Entry = Trial & { outcome: Outcome | 'asked' | 'release'; attempts: number };

export interface CheckpointSettings {
  leaseMs: number;
  progressIntervalMs: number;
}

export class RunCheckpoint {
  private pending = new Map<string, Entry>();
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private writing?: Promise<void>;
  private hold?: NodeJS.Timeout;
  private urgent = false;
  private failure?: Error;
  private renewal: NodeJS.Timeout;
  private lastWriteAt = Date.now();
  // The first progress goes out with the first outcomes.
  private progressAt = -Infinity;

  constructor(
    private readonly dataSource: DataSource,
    private readonly trials: TrialStore,
    private readonly runs: RunStore,
    private readonly runId: string,
    private readonly settings: CheckpointSettings,
    /** Called once if a write fails: the run stops here and resumes from what was written. */
    private readonly onFailure: (e: Error) => void,
  ) {
    // The lease is renewed by every write; this covers the quiet stretches (every trial in a long backoff).
    this.renewal = setInterval(() => {
      if (Date.now() - this.lastWriteAt >= settings.leaseMs / 3 && !this.writing) void this.write([]).catch(() => undefined);
    }, Math.max(100, settings.leaseMs / 3));
    this.renewal.unref();
  }

  /** Records the trial as asked; its call may start only once `ready` resolves. */
  reserve(trial: Trial): Reservation {
    const reservation = new Reservation(this.enqueue({ ...trial, outcome: 'asked', attempts: 0 }, true));
    reservation.ready.catch(() => undefined);
    return reservation;
  }

  /** A worker is waiting: the group goes out now rather than after the coalescing pause. */
  hurry(): void {
    this.urgent = true;
    this.kick();
  }

  /** Records an outcome; written with the next group, not waited for. */
  record(trial: Trial, outcome: Outcome, attempts: number): void {
    void this.enqueue({ ...trial, outcome, attempts }, false);
  }

  /** Gives back a reserved trial that was never asked (a graceful stop), so that the next start asks it. */
  release(trial: Trial): void {
    void this.enqueue({ ...trial, outcome: 'release', attempts: 0 }, false);
  }

  /** Resolves when everything recorded so far is written; rejects if a write failed. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.writing) {
        await this.writing.catch(() => undefined);
        continue;
      }
      if (!this.pending.size && !this.waiters.length) return;
      // Written now, not after the coalescing pause (and again for whatever arrived during the last write).
      this.hurry();
    }
  }

  close(): void {
    clearInterval(this.renewal);
    clearTimeout(this.hold);
  }

  private enqueue(entry: Entry, wait: boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const key = `${entry.index}:${entry.epoch}`;
    const before = this.pending.get(key);
    // An outcome (or a release) overrides a reservation of the same trial not yet written: the trial's row
    // goes straight to its final state.
    if (!(before && before.outcome !== 'asked' && entry.outcome === 'asked')) {
      if (before?.outcome === 'asked' && entry.outcome === 'release') this.pending.delete(key);
      else this.pending.set(key, entry);
    }
    const done = wait ? new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject })) : Promise.resolve();
    this.kick();
    return done;
  }

  private kick(): void {
    if (this.writing || this.failure || (!this.pending.size && !this.waiters.length)) return;
    if (!this.urgent) {
      this.hold ??= setTimeout(() => {
        this.hold = undefined;
        this.urgent = true;
        this.kick();
      }, COALESCE_MS);
      return;
    }
    clearTimeout(this.hold);
    this.hold = undefined;
    this.urgent = false;
    const batch = [...this.pending.values()];
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    this.writing = this.write(batch).then(
      () => {
        this.writing = undefined;
        for (const w of waiters) w.resolve();
        this.kick();
      },
      (e: Error) => {
        this.writing = undefined;
        this.failure = e;
        for (const w of [...waiters, ...this.waiters.splice(0)]) w.reject(e);
        this.onFailure(e);
      },
    );
  }

  private async write(batch: Entry[]): Promise<void> {
    const rows = batch.filter((e): e is TrialRecord => e.outcome !== 'release');
    const released = batch.filter((e) => e.outcome === 'release');
    const outcomes = rows.some((e) => e.outcome !== 'asked');
    // Progress at most every RUN_PROGRESS_INTERVAL_MS: a throttle on this process's own clock, not a domain time.
    const progress = outcomes && performance.now() - this.progressAt >= this.settings.progressIntervalMs;
    if (!progress && !released.length) {
      // The common case is one statement in its own implicit transaction: one round trip per group.
      await this.trials.checkpoint(this.dataSource.manager, this.runId, rows, this.settings.leaseMs);
    } else {
      await this.dataSource.transaction(async (tx) => {
        if (released.length) await this.trials.release(tx, this.runId, released);
        const running = await this.trials.checkpoint(tx, this.runId, rows, this.settings.leaseMs);
        if (progress && running) await this.runs.publish(tx, BenchRunProgress, (await this.runs.run(tx, this.runId))!);
      });
      if (progress) this.progressAt = performance.now();
    }
    this.lastWriteAt = Date.now();
  }
}
