// The streams this replica holds open under each API key (`GET /v1/events`, brokered completions with
// `stream: true`): at most MAX_STREAMS_PER_KEY at once per key, and each ended as soon as its key is revoked. A
// revocation on this replica ends them before it is answered; on another, its NOTIFY (ApiKeyChanges, the signal the
// key cache also evicts on) makes this replica look at the keys it holds streams for, in one query, and end those
// no longer valid. After the notification connection was lost and is back, it looks at them all, since a revocation
// may have been missed meanwhile. Nothing is polled.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RateLimitedError } from '@vantage/contracts';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';
import { ApiKeyChanges } from './api-key-changes';
import { ApiKeyStore } from './api-key-store';

/** Ends a stream because its key no longer admits it. */
export type EndStream = () => void;

@Injectable()
export class KeyStreams {
  private readonly log = new Logger(KeyStreams.name);
  private readonly byKey = new Map<string, Set<EndStream>>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeyStore,
    changes: ApiKeyChanges,
  ) {
    changes.watch({ changed: (keyId) => void this.recheck(keyId), resync: () => void this.recheck() });
  }

  /**
   * Holds a stream open under `keyId`, or refuses it (429 too_many_streams) when the key already holds its most on
   * this replica. `end` is called if the key is revoked while it is open. Returns the release, to call when it ends.
   */
  open(keyId: string, end: EndStream): () => void {
    const held = this.byKey.get(keyId) ?? new Set<EndStream>();
    const max = this.config.MAX_STREAMS_PER_KEY;
    if (held.size >= max) {
      throw new RateLimitedError('too_many_streams', `this API key already holds ${held.size} open streams, the most it may (MAX_STREAMS_PER_KEY is ${max}); close one first`);
    }
    const entry: EndStream = () => end();
    held.add(entry);
    this.byKey.set(keyId, held);
    return () => {
      held.delete(entry);
      if (held.size === 0 && this.byKey.get(keyId) === held) this.byKey.delete(keyId);
    };
  }

  /** Ends every stream of a key known to be revoked. */
  revoked(keyId: string): void {
    for (const end of [...(this.byKey.get(keyId) ?? [])]) end();
  }

  /** Ends the streams of those keys (all it holds streams for, without an id) that are no longer valid. */
  private async recheck(keyId?: string): Promise<void> {
    const ids = keyId === undefined ? [...this.byKey.keys()] : this.byKey.has(keyId) ? [keyId] : [];
    if (ids.length === 0) return;
    try {
      const still = await this.keys.validAmong(this.dataSource.manager, ids);
      for (const id of ids) if (!still.has(id)) this.revoked(id);
    } catch (e) {
      // Postgres is away: the listener's reconnection brings a resync, and this is tried again then.
      this.log.warn(`could not check the keys of open streams: ${(e as Error).message}`);
    }
  }
}
