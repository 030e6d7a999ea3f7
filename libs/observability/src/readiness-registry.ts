// Whether this instance can take traffic: each dependency (Postgres, NATS) registers a check here.

/** Resolves when the dependency answers; a throw or rejection means not ready. */
export type ReadinessCheck = () => Promise<void>;

export interface BoundedCheck {
  name: string;
  run: () => Promise<void>;
}

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

/** Provided by `ObservabilityModule`; other modules call `register` in their `onModuleInit`. */
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** A check that has not answered within `timeoutMs` fails, so a hung dependency cannot hang the probe. */
  constructor(private readonly timeoutMs = DEFAULT_READINESS_TIMEOUT_MS) {}

  register(name: string, check: ReadinessCheck): void {
    // Two checks under one name would hide one of them from the probe.
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  list(): BoundedCheck[] {
    return [...this.checks].map(([name, check]) => ({ name, run: () => withTimeout(check, this.timeoutMs, name) }));
  }
}

function withTimeout(check: ReadinessCheck, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([Promise.resolve().then(check), expired]).finally(() => clearTimeout(timer));
}
