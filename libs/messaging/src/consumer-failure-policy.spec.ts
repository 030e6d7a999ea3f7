import { decideOnFailure, outageOf, PermanentEventError } from './consumer-failure-policy';
import { StreamUnavailableError } from './nats-client';

const policy = { maxDeliver: 5, retryBaseMs: 500 };
const MIDDLE = 0.5; // no jitter: 0.8 + 0.5 × 0.4 = 1
const databaseDown = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('decideOnFailure', () => {
  it('retries a failed handler with a doubling pause until the last delivery', () => {
    const boom = new Error('boom');
    expect(decideOnFailure({ error: boom, delivery: 1 }, policy, MIDDLE)).toEqual({ kind: 'retry', delayMs: 500 });
    expect(decideOnFailure({ error: boom, delivery: 2 }, policy, MIDDLE)).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(decideOnFailure({ error: boom, delivery: 4 }, policy, MIDDLE)).toEqual({ kind: 'retry', delayMs: 4000 });
  });

  it('caps the retry pause at 30 s', () => {
    expect(decideOnFailure({ error: new Error('boom'), delivery: 10 }, { maxDeliver: 20, retryBaseMs: 500 }, MIDDLE)).toEqual({ kind: 'retry', delayMs: 30_000 });
  });

  it('spreads the pause by ±20 %', () => {
    const boom = new Error('boom');
    expect(decideOnFailure({ error: boom, delivery: 1 }, policy, 0)).toEqual({ kind: 'retry', delayMs: 400 });
    expect(decideOnFailure({ error: boom, delivery: 1 }, policy, 0.999999)).toEqual({ kind: 'retry', delayMs: 600 });
  });

  it('dead-letters on the VANTAGE_MAX_DELIVER-th delivery, saying why', () => {
    for (const delivery of [5, 6]) {
      const decision = decideOnFailure({ error: new Error('boom'), delivery }, policy, MIDDLE);
      expect(decision.kind).toBe('dead-letter');
      if (decision.kind !== 'dead-letter') return;
      expect(decision.error).toBeInstanceOf(PermanentEventError);
      expect(decision.error.reason).toBe('max-deliver');
      expect(decision.error.message).toBe(`failed ${delivery} times; last: boom`);
    }
  });

  it('waits for the database however many deliveries it takes, pausing at most 5 s', () => {
    expect(decideOnFailure({ error: databaseDown, delivery: 1 }, policy, MIDDLE)).toEqual({ kind: 'wait', waitsFor: 'the database', delayMs: 500 });
    expect(decideOnFailure({ error: databaseDown, delivery: 3 }, policy, MIDDLE)).toEqual({ kind: 'wait', waitsFor: 'the database', delayMs: 2000 });
    expect(decideOnFailure({ error: databaseDown, delivery: 50 }, policy, MIDDLE)).toEqual({ kind: 'wait', waitsFor: 'the database', delayMs: 5000 });
    expect(decideOnFailure({ error: databaseDown, delivery: 50 }, policy, 0)).toEqual({ kind: 'wait', waitsFor: 'the database', delayMs: 4000 });
  });

  it('waits for JetStream when a stream it publishes to does not answer', () => {
    const error = new StreamUnavailableError('no responders');
    expect(decideOnFailure({ error, delivery: 9 }, policy, MIDDLE)).toEqual({ kind: 'wait', waitsFor: 'JetStream', delayMs: 5000 });
  });
});

describe('outageOf', () => {
  it('names what an outage waits for, and nothing for an error in the work itself', () => {
    expect(outageOf(databaseDown)).toBe('the database');
    expect(outageOf(new StreamUnavailableError('timeout'))).toBe('JetStream');
    expect(outageOf(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBeUndefined();
    expect(outageOf(new Error('boom'))).toBeUndefined();
  });
});
