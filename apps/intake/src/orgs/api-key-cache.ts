// Verified API keys, remembered briefly so that a request does not cost a lookup. Correctness rests on
// eviction, not on the time limit: a revocation (or any change to keys) NOTIFYs `vantage_api_keys` in its
// transaction, every gateway replica hears it and forgets the key, and the replica that revoked it has
// already forgotten it before it answers. While a replica cannot hear notifications it remembers nothing.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@vantage/auth';
import { Clock } from '@vantage/clock';
import { PostgresListener } from '@vantage/persistence';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';

export const API_KEYS_CHANNEL = 'vantage_api_keys';

/** Bounds memory whatever the number of keys in use; the oldest entries go first. */
const MAX_ENTRIES = 10_000;

interface Remembered {
  principal: Principal;
  until: number;
}

@Injectable()
export class ApiKeyCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ApiKeyCache.name);
  /** By the key's hash: the key itself is never kept. */
  private readonly entries = new Map<string, Remembered>();
  private listener?: PostgresListener;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.API_KEY_CACHE_TTL_MS === 0) return;
    this.listener = PostgresListener.of(this.dataSource, {
      applicationName: 'intake-api-keys-listen',
      channels: [API_KEYS_CHANNEL],
      onNotification: (_channel, keyId) => this.forget(keyId),
      // Whatever changed while it was deaf is unknown: start again from nothing.
      onConnected: () => this.entries.clear(),
      onDisconnected: () => this.entries.clear(),
      warn: (m) => this.log.warn(m),
    });
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.close();
  }

  get(keyHash: string): Principal | undefined {
    if (!this.listener?.connected) return undefined;
    const hit = this.entries.get(keyHash);
    if (!hit) return undefined;
    if (hit.until <= this.clock.now().getTime()) {
      this.entries.delete(keyHash);
      return undefined;
    }
    return hit.principal;
  }

  remember(keyHash: string, principal: Principal): void {
    if (!this.listener?.connected) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(keyHash, { principal, until: this.clock.now().getTime() + this.config.API_KEY_CACHE_TTL_MS });
  }

  /** Forgets one key (by its id), or every key when no id is given. */
  forget(keyId?: string): void {
    if (!keyId) {
      this.entries.clear();
      return;
    }
    for (const [hash, entry] of this.entries) if (entry.principal.keyId === keyId) this.entries.delete(hash);
  }
}

/** Tells every gateway replica, when `tx` commits, that a key (or, without an id, any key) changed. */
export async function announceKeyChange(tx: EntityManager, keyId?: string): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [API_KEYS_CHANNEL, keyId ?? '']);
}
