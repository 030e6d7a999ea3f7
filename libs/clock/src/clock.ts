// The one source of time: services inject Clock; tests and simulations drive a ManualClock.

export abstract class Clock {
  abstract now(): Date;

  nowMs(): number {
    return this.now().getTime();
  }

  /**
   * Hears the clock jump. The system clock never jumps (pollers keep their own pace); a ManualClock calls
   * back on every move, so timers due at the new time fire without waiting for the next poll.
   */
  onChange(_listener: (now: Date) => void): () => void {
    return () => undefined;
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

type Listener = (now: Date) => void;

/**
 * The system clock moved forward by a shift that only grows: time runs at its normal pace from the shifted
 * instant. For end-to-end tests of separate processes, which cannot share a ManualClock: a test moves every
 * process's clock over NATS (see VANTAGE_TEST_CLOCK), and timers due in the new present fire at once.
 */
export class ShiftedClock extends Clock {
  private shift = 0;
  private readonly listeners = new Set<Listener>();

  now(): Date {
    return new Date(Date.now() + this.shift);
  }

  get shiftMs(): number {
    return this.shift;
  }

  /** Sets the shift (idempotent, so a repeated command is harmless); it never moves time backwards. */
  shiftTo(ms: number): void {
    if (!Number.isFinite(ms) || ms < this.shift) throw new Error(`ShiftedClock cannot move backwards (shift ${this.shift} ms, asked ${ms} ms)`);
    if (ms === this.shift) return;
    this.shift = ms;
    const now = this.now();
    for (const listener of this.listeners) listener(now);
  }

  override onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A clock that moves only when told to. Listeners hear every move, so pollers can react at once. */
export class ManualClock extends Clock {
  private current: number;
  private readonly listeners = new Set<Listener>();

  constructor(start: Date | string | number = '2026-01-01T00:00:00Z') {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string | number): void {
    const next = new Date(to).getTime();
    if (next < this.current) throw new Error(`ManualClock cannot move backwards (from ${this.now().toISOString()})`);
    this.current = next;
    this.emit();
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('ManualClock.advance takes a non-negative duration');
    this.current += ms;
    this.emit();
  }

  override onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const now = this.now();
    for (const listener of this.listeners) listener(now);
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
