// What webhook attempts' outcomes do, decided together for a batch, in order. Pure: each delivery succeeds, waits
// for its next try (the Svix schedule, or a longer Retry-After), or fails for good; an endpoint that answers 410,
// or whose every attempt has failed for five days, is disabled; an endpoint's failing streak starts at its first
// failure and ends at its first success.
import { EndpointDisabledReason, SubscriptionState } from '@vantage/contracts';
import { delayAfterFailure, FAILING_ENDPOINT_DISABLE_AFTER_MS, parseRetryAfter } from './retry-schedule';

export type AttemptResult = 'succeeded' | 'retrying' | 'failed' | 'disabled' | 'gone-already';

export interface FinishedAttempt<D extends { id: string; subscriptionId: string; attemptCount: number } = { id: string; subscriptionId: string; attemptCount: number }> {
  delivery: D;
  outcome: { at: Date; statusCode?: number; latencyMs: number; error?: string; retryAfter?: string };
}

/** An endpoint as the attempts find it: locked, with its failing streak. */
export interface EndpointState {
  id: string;
  state: SubscriptionState;
  failingSince: Date | null;
}

export interface AttemptWrite<A extends FinishedAttempt = FinishedAttempt> {
  attempt: A;
  status: 'succeeded' | 'failed' | 'pending';
  nextAttemptAt: Date | null;
}

export interface AttemptDecisions<A extends FinishedAttempt = FinishedAttempt> {
  /** What each attempt did, in the order given. */
  results: AttemptResult[];
  /** The deliveries to settle (each only if still pending with the attempt count it was sent with). */
  writes: AttemptWrite<A>[];
  /** Endpoints whose failing streak began or ended. */
  failingSince: { id: string; failingSince: Date | null }[];
  /** Endpoints to disable, and why. */
  disabled: { id: string; reason: EndpointDisabledReason }[];
}

export function decideAttempts<A extends FinishedAttempt>(attempts: A[], endpoints: EndpointState[], now: Date): AttemptDecisions<A> {
  const lanes = new Map(endpoints.map((e) => [e.id, { ...e, disabled: undefined as EndpointDisabledReason | undefined }]));
  const writes: AttemptWrite<A>[] = [];
  const results = attempts.map((attempt): AttemptResult => {
    const { delivery, outcome } = attempt;
    const lane = lanes.get(delivery.subscriptionId);
    // Deleted, or disabled meanwhile (which failed its pending deliveries): the attempt changes nothing.
    if (!lane || lane.disabled || lane.state !== 'active') return 'gone-already';
    const write = (status: AttemptWrite['status'], nextAttemptAt: Date | null = null) => writes.push({ attempt, status, nextAttemptAt });
    const code = outcome.statusCode;
    if (code !== undefined && code >= 200 && code < 300) {
      lane.failingSince = null;
      write('succeeded');
      return 'succeeded';
    }
    if (code === 410) {
      write('failed');
      lane.disabled = 'gone';
      return 'disabled';
    }
    const failingSince = lane.failingSince ?? now;
    if (now.getTime() - failingSince.getTime() >= FAILING_ENDPOINT_DISABLE_AFTER_MS) {
      write('failed');
      lane.disabled = 'failing';
      return 'disabled';
    }
    lane.failingSince = failingSince;
    const delay = delayAfterFailure(delivery.attemptCount + 1, parseRetryAfter(outcome.retryAfter, now));
    if (delay === undefined) {
      write('failed');
      return 'failed';
    }
    write('pending', new Date(now.getTime() + delay));
    return 'retrying';
  });
  const before = new Map(endpoints.map((e) => [e.id, e.failingSince?.getTime() ?? null]));
  const after = [...lanes.values()];
  return {
    results,
    writes,
    failingSince: after.filter((l) => !l.disabled && (l.failingSince?.getTime() ?? null) !== before.get(l.id)).map((l) => ({ id: l.id, failingSince: l.failingSince })),
    disabled: after.filter((l) => l.disabled).map((l) => ({ id: l.id, reason: l.disabled! })),
  };
}
