import { decideAttempts, EndpointState } from './attempt-outcomes';
import { FAILING_ENDPOINT_DISABLE_AFTER_MS } from './retry-schedule';

const now = new Date('2026-12-04T10:00:00Z');
const endpoint = (id: string, over: Partial<EndpointState> = {}): EndpointState => ({ id, state: 'active', failingSince: null, ...over });
const attempt = (id: string, subscriptionId: string, statusCode?: number, attemptCount = 0, retryAfter?: string) => ({
  delivery: { id, subscriptionId, attemptCount },
  outcome: { at: now, statusCode, latencyMs: 5, ...(statusCode === undefined ? { error: 'timed out' } : {}), ...(retryAfter ? { retryAfter } : {}) },
});

describe('decideAttempts', () => {
  it('settles a 2xx, retries a failure on the schedule (or a longer Retry-After), and starts and ends failing streaks', () => {
    const d = decideAttempts(
      [attempt('a', 's1', 500), attempt('b', 's1', 200), attempt('c', 's2'), attempt('d', 's3', 503, 1, '600')],
      [endpoint('s1'), endpoint('s2', { failingSince: new Date('2026-12-04T09:00:00Z') }), endpoint('s3')],
      now,
    );
    expect(d.results).toEqual(['retrying', 'succeeded', 'retrying', 'retrying']);
    expect(d.writes.map((w) => [w.attempt.delivery.id, w.status, w.nextAttemptAt?.toISOString() ?? null])).toEqual([
      ['a', 'pending', new Date(now.getTime() + 5_000).toISOString()],
      ['b', 'succeeded', null],
      ['c', 'pending', new Date(now.getTime() + 5_000).toISOString()],
      // After a second failure the schedule says 5 minutes; the endpoint asked for 10.
      ['d', 'pending', new Date(now.getTime() + 600_000).toISOString()],
    ]);
    // s1 failed then succeeded in the same batch: no streak. s2's goes on unchanged. s3's starts now.
    expect(d.failingSince).toEqual([{ id: 's3', failingSince: now }]);
    expect(d.disabled).toEqual([]);
  });

  it('disables an endpoint that answers 410 or has failed for five days, and ignores later attempts to it and to one that is gone', () => {
    const d = decideAttempts(
      [attempt('a', 's1', 410), attempt('b', 's1', 200), attempt('c', 's2', 500), attempt('e', 'gone', 200), attempt('f', 's4', 200)],
      [endpoint('s1'), endpoint('s2', { failingSince: new Date(now.getTime() - FAILING_ENDPOINT_DISABLE_AFTER_MS) }), endpoint('s4', { state: 'disabled' })],
      now,
    );
    expect(d.results).toEqual(['disabled', 'gone-already', 'disabled', 'gone-already', 'gone-already']);
    expect(d.disabled).toEqual([{ id: 's1', reason: 'gone' }, { id: 's2', reason: 'failing' }]);
    expect(d.writes.map((w) => [w.attempt.delivery.id, w.status])).toEqual([['a', 'failed'], ['c', 'failed']]);
  });

  it('fails a delivery for good after its last scheduled attempt', () => {
    const d = decideAttempts([attempt('a', 's1', 500, 7)], [endpoint('s1')], now);
    expect(d.results).toEqual(['failed']);
    expect(d.writes[0]).toMatchObject({ status: 'failed', nextAttemptAt: null });
  });
});
