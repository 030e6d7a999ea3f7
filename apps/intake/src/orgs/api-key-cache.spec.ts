// ApiKeyCache's rules without Postgres: what it remembers, and what a change to keys makes it forget.
import { Principal } from '@vantage/auth';
import { ManualClock } from '@vantage/clock';
import { PLACEHOLDER_BUS_SETTINGS } from '@vantage/config';
import { loadIntakeConfig } from '../config';
import { ApiKeyCache } from './api-key-cache';
import { ApiKeyChanges, ApiKeyWatcher } from './api-key-changes';

/** Stands in for the NOTIFY listener: the test says when a change is heard. */
class HeardChanges {
  listening = true;
  watcher?: ApiKeyWatcher;
  watch(w: ApiKeyWatcher) {
    this.watcher = w;
    return () => undefined;
  }
}

const lab: Principal = { orgId: 'org-1', kind: 'lab', keyId: 'key-1' };

function setUp(ttlMs = 60_000) {
  const clock = new ManualClock('2026-11-26T12:00:00Z');
  const changes = new HeardChanges();
  const cache = new ApiKeyCache(
    loadIntakeConfig({ ...PLACEHOLDER_BUS_SETTINGS, VANTAGE_ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}`, API_KEY_CACHE_TTL_MS: String(ttlMs) }),
    clock,
    changes as unknown as ApiKeyChanges,
  );
  return { clock, changes, cache };
}

describe('ApiKeyCache (unit)', () => {
  it('remembers a valid key and a key found not valid, each for the TTL', () => {
    const { clock, cache } = setUp();
    cache.remember('hash-valid', lab, cache.ticket());
    cache.remember('hash-bogus', null, cache.ticket());
    expect(cache.recall('hash-valid')).toEqual(lab);
    expect(cache.recall('hash-bogus')).toBeNull();
    expect(cache.recall('hash-unseen')).toBeUndefined();
    clock.advance(60_000);
    expect(cache.recall('hash-valid')).toBeUndefined();
    expect(cache.recall('hash-bogus')).toBeUndefined();
  });

  it('does not remember a lookup that was under way when a change was heard', () => {
    const { changes, cache } = setUp();
    const ticket = cache.ticket();
    changes.watcher!.changed('key-1');
    cache.remember('hash-valid', lab, ticket);
    cache.remember('hash-bogus', null, ticket);
    expect(cache.recall('hash-valid')).toBeUndefined();
    expect(cache.recall('hash-bogus')).toBeUndefined();
  });

  it('forgets the changed key, keeps what it knows is not valid, and forgets everything on a change to any key or a resync', () => {
    const { changes, cache } = setUp();
    cache.remember('hash-valid', lab, cache.ticket());
    cache.remember('hash-other', { ...lab, keyId: 'key-2' }, cache.ticket());
    cache.remember('hash-bogus', null, cache.ticket());
    changes.watcher!.changed('key-1');
    expect(cache.recall('hash-valid')).toBeUndefined();
    expect(cache.recall('hash-other')).toMatchObject({ keyId: 'key-2' });
    expect(cache.recall('hash-bogus')).toBeNull();
    changes.watcher!.changed(undefined);
    expect(cache.recall('hash-other')).toBeUndefined();
    expect(cache.recall('hash-bogus')).toBeUndefined();
    cache.remember('hash-bogus', null, cache.ticket());
    changes.watcher!.resync();
    expect(cache.recall('hash-bogus')).toBeUndefined();
  });

  it('remembers nothing while it cannot hear changes, or with a TTL of 0', () => {
    const { changes, cache } = setUp();
    changes.listening = false;
    cache.remember('hash-bogus', null, cache.ticket());
    expect(cache.recall('hash-bogus')).toBeUndefined();
    const off = setUp(0);
    off.cache.remember('hash-bogus', null, off.cache.ticket());
    expect(off.cache.recall('hash-bogus')).toBeUndefined();
  });

  it('keeps at most 10,000 keys found not valid, dropping the oldest', () => {
    const { cache } = setUp();
    for (let i = 0; i <= 10_000; i++) cache.remember(`bogus-${i}`, null, cache.ticket());
    expect(cache.recall('bogus-0')).toBeUndefined();
    expect(cache.recall('bogus-1')).toBeNull();
    expect(cache.recall('bogus-10000')).toBeNull();
  });
});
