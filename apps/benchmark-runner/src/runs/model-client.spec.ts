import { DestinationPolicy, OutboundClient } from '@vantage/outbound';
import { AdaptiveLimiter } from './adaptive-limiter';
import { ModelClient, retryAfter } from './model-client';

describe('AdaptiveLimiter', () => {
  it('doubles per round of successes until the first 429 (slow start), then grows by one per streak', async () => {
    const l = new AdaptiveLimiter(1, 32, 4);
    for (let i = 0; i < 4; i++) {
      await l.acquire();
      l.release('ok');
    }
    expect(l.limit).toBe(8);
    for (let i = 0; i < 24; i++) {
      await l.acquire();
      l.release('ok');
    }
    expect(l.limit).toBe(32);
    await l.acquire();
    l.release('throttled');
    expect(l.limit).toBe(16);
    for (let i = 0; i < 15; i++) {
      await l.acquire();
      l.release('ok');
    }
    expect(l.limit).toBe(16);
    await l.acquire();
    l.release('ok');
    expect(l.limit).toBe(17);
  });

  it('halves on a 429, grows by one after a streak as long as the limit, within bounds', async () => {
    const l = new AdaptiveLimiter(1, 6, 4);
    await l.acquire();
    l.release('throttled');
    expect(l.limit).toBe(2);
    for (let i = 0; i < 2; i++) {
      await l.acquire();
      l.release('ok');
    }
    expect(l.limit).toBe(3);
    for (let i = 0; i < 5; i++) {
      await l.acquire();
      l.release('throttled');
    }
    expect(l.limit).toBe(1);
  });

  it('queues beyond the limit and lets an abort leave the queue', async () => {
    const l = new AdaptiveLimiter(1, 1, 1);
    await l.acquire();
    const controller = new AbortController();
    const waiting = l.acquire(controller.signal);
    controller.abort('closed');
    await expect(waiting).rejects.toBe('closed');
    l.release('ok');
    await l.acquire();
    expect(l.active).toBe(1);
  });
});

describe('backoff', () => {
  const settings = {
    maxAttempts: 4, timeoutMs: 1000, retryBaseMs: 100, retryMaxMs: 1000, retryAfterMaxMs: 5000, minConcurrency: 1, maxConcurrency: 4, initialConcurrency: 2,
  };
  // Never asked to call anything here: backoff is arithmetic.
  const outbound = new OutboundClient(new DestinationPolicy({ allowedHosts: '' }), { maxResponseBytes: 1024 });
  afterAll(() => outbound.close());

  it('is full jitter under an exponential ceiling, with Retry-After as a floor (capped)', () => {
    const top = new ModelClient(outbound, settings, () => 0.999999);
    expect(top.backoffMs(1)).toBeLessThan(100);
    expect(top.backoffMs(3)).toBeCloseTo(400, 0);
    expect(top.backoffMs(10)).toBeLessThanOrEqual(1000);
    const bottom = new ModelClient(outbound, settings, () => 0);
    expect(bottom.backoffMs(2, 2000)).toBe(2000);
    expect(bottom.backoffMs(2, 60_000)).toBe(5000);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfter('2')).toBe(2000);
    expect(retryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfter(null)).toBeUndefined();
  });
});
