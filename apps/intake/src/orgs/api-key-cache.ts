// What a replica remembers of presented API keys, briefly, so that a request does not cost a lookup: the principal of
// a valid key, and that a key is not valid (unknown or revoked), so that a client repeating a bogus or revoked key
// does not reach Postgres each time. Both are kept by the key's hash; the key itself is never kept.
//
// Correctness rests on eviction, not on the time limit. A change to keys NOTIFYs in its transaction (ApiKeyChanges):
// every replica forgets that key (or, for a change to any key, everything) when it commits, and the replica that
// revoked a key has forgotten it before it answers. While a replica cannot hear notifications it remembers nothing.
// A lookup that was under way when a change was heard is not remembered (the generation moved on), so an answer read
// before a commit cannot outlive the eviction.
//
// Remembering that a key is not valid is safe because nothing turns a presented value valid without announcing it:
// a revoked key never becomes valid again (revocation is final, the bootstrap key included); an issued key has a
// secret drawn at issuance (256 bits), on whichever replica, so no one can have presented it before and left a
// negative entry that matches it; the only way a value already presented becomes valid is as the bootstrap key, and
// the gateway that sets it announces a change to every key, which clears every replica's entries. Entries are by hash
// and not by key id: a key id is public, and a presented key with a real id and a wrong secret must not shut out the
// real key, nor may a bootstrap key value (always id `operator`) shut out a new one.
import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '@vantage/auth';
import { Clock } from '@vantage/clock';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';
import { ApiKeyChanges } from './api-key-changes';

/** Bounds memory whatever the number of keys in use (or bogus keys tried); the oldest entries go first. */
const MAX_ENTRIES = 10_000;

interface Remembered<T> {
  value: T;
  until: number;
}

/** A place in the order of changes: what was looked up under it is remembered only if nothing changed since. */
export type CacheTicket = number;

@Injectable()
export class ApiKeyCache {
  private readonly valid = new Map<string, Remembered<Principal>>();
  private readonly invalid = new Map<string, Remembered<true>>();
  private generation = 0;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
    private readonly clock: Clock,
    private readonly changes: ApiKeyChanges,
  ) {
    changes.watch({ changed: (keyId) => this.forget(keyId), resync: () => this.forget() });
  }

  /** Taken before a lookup, given back to remember its answer. */
  ticket(): CacheTicket {
    return this.generation;
  }

  /** The principal of a key remembered valid, `null` for one remembered not valid, undefined when not remembered. */
  recall(keyHash: string): Principal | null | undefined {
    if (!this.enabled) return undefined;
    const principal = this.fresh(this.valid, keyHash);
    if (principal) return principal;
    return this.fresh(this.invalid, keyHash) ? null : undefined;
  }

  /** Remembers a lookup's answer (a principal, or null: not valid), unless keys changed since `ticket`. */
  remember(keyHash: string, principal: Principal | null, ticket: CacheTicket): void {
    if (!this.enabled || ticket !== this.generation) return;
    const until = this.clock.nowMs() + this.config.API_KEY_CACHE_TTL_MS;
    if (principal) put(this.valid, keyHash, { value: principal, until });
    else put(this.invalid, keyHash, { value: true, until });
  }

  /**
   * Forgets one key (by its id), or every key when no id is given. What is remembered as not valid stays when one
   * key changes: a change to a known key (its revocation) never makes another value valid.
   */
  forget(keyId?: string): void {
    this.generation++;
    if (!keyId) {
      this.valid.clear();
      this.invalid.clear();
      return;
    }
    for (const [hash, entry] of this.valid) if (entry.value.keyId === keyId) this.valid.delete(hash);
  }

  private get enabled(): boolean {
    return this.config.API_KEY_CACHE_TTL_MS > 0 && this.changes.listening;
  }

  private fresh<T>(map: Map<string, Remembered<T>>, keyHash: string): T | undefined {
    const hit = map.get(keyHash);
    if (!hit) return undefined;
    if (hit.until <= this.clock.nowMs()) {
      map.delete(keyHash);
      return undefined;
    }
    return hit.value;
  }
}

function put<T>(map: Map<string, Remembered<T>>, key: string, entry: Remembered<T>): void {
  map.delete(key);
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string);
  map.set(key, entry);
}
