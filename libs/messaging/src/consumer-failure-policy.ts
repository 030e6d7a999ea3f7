// What a consumer does with an event it could not handle: a pure decision, made from the error, the delivery count
// and the service's retry settings. The consumer loop carries it out (consumer-loops.ts).
//  - An outage (Postgres unavailable, or a stream it publishes to not answering) says nothing about the event: it
//    waits, however many deliveries that takes, and is never dead-lettered for it.
//  - Any other failure is retried with exponential backoff until VANTAGE_MAX_DELIVER deliveries, then dead-lettered.
//  - A malformed or invalid event is dead-lettered at once (PermanentEventError), without a retry.
import { isDatabaseUnavailable } from '@vantage/persistence';
import { DeadLetterReason } from './dead-letter';
import { StreamUnavailableError } from './nats-client';

/** An event that no retry can mend: it is dead-lettered at once with this reason. */
export class PermanentEventError extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    message: string,
  ) {
    super(message);
  }
}

/** Longest pause between redeliveries of an event that failed because of an outage. */
export const OUTAGE_RETRY_CAP_MS = 5000;

/** Longest pause between redeliveries of an event whose handler failed. */
export const RETRY_CAP_MS = 30_000;

export interface FailurePolicy {
  /** VANTAGE_MAX_DELIVER: the delivery on which a failing event is dead-lettered. */
  maxDeliver: number;
  /** VANTAGE_RETRY_BASE_MS: the pause after the first failed delivery; it doubles with each delivery. */
  retryBaseMs: number;
}

export interface Failure {
  error: Error;
  /** Which delivery of the message failed, from 1 (JetStream's delivery count). */
  delivery: number;
}

export type FailureDecision =
  /** Redeliver after `delayMs`, however many deliveries it has had: an outage of what it waits for. */
  | { kind: 'wait'; waitsFor: 'the database' | 'JetStream'; delayMs: number }
  /** Redeliver after `delayMs`. */
  | { kind: 'retry'; delayMs: number }
  /** Park it on the dead-letter subject and stop delivering it. */
  | { kind: 'dead-letter'; error: PermanentEventError };

/** What an outage the error reports waits for, if it reports one. */
export function outageOf(error: unknown): 'the database' | 'JetStream' | undefined {
  if (isDatabaseUnavailable(error)) return 'the database';
  if (error instanceof StreamUnavailableError) return 'JetStream';
  return undefined;
}

/**
 * What to do with a delivery that failed. `random` (in [0, 1)) spreads the pauses ±20 % so that replicas retrying
 * the same events do not do it in step.
 */
export function decideOnFailure(failure: Failure, policy: FailurePolicy, random: number): FailureDecision {
  const { error, delivery } = failure;
  const jitter = 0.8 + random * 0.4;
  const waitsFor = outageOf(error);
  if (waitsFor) {
    // Capped low so that the end of an outage is noticed within seconds.
    const pause = Math.min(OUTAGE_RETRY_CAP_MS, policy.retryBaseMs * 2 ** Math.min(delivery - 1, 16));
    return { kind: 'wait', waitsFor, delayMs: Math.round(pause * jitter) };
  }
  if (delivery >= policy.maxDeliver) {
    return { kind: 'dead-letter', error: new PermanentEventError('max-deliver', `failed ${delivery} times; last: ${error.message}`) };
  }
  const delay = Math.min(RETRY_CAP_MS, policy.retryBaseMs * 2 ** (delivery - 1));
  return { kind: 'retry', delayMs: Math.round(delay * jitter) };
}
