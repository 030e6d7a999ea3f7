// Hears every change to API keys: a change (a revocation, a bootstrap key set or dropped) NOTIFYs `vantage_api_keys`
// in its transaction, and Postgres delivers it on commit to every gateway replica. Whatever a replica keeps about keys
// (the verification cache, the streams held open under each key) watches it here. While the connection is lost
// nothing is heard, so watchers are told to resynchronise, when it is lost and again when it is back.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresListener } from '@vantage/persistence';
import { API_KEYS_CHANNEL } from './api-key-store';

export interface ApiKeyWatcher {
  /** The key with this id changed, or (undefined) any key may have. */
  changed(keyId: string | undefined): void;
  /** Changes may have been missed (the connection was lost, or is back): trust nothing remembered. */
  resync(): void;
}

@Injectable()
export class ApiKeyChanges implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ApiKeyChanges.name);
  private readonly watchers = new Set<ApiKeyWatcher>();
  private listener?: PostgresListener;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  watch(watcher: ApiKeyWatcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** True while a change committed now will be heard. */
  get listening(): boolean {
    return this.listener?.connected ?? false;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.listener = PostgresListener.of(this.dataSource, {
      applicationName: 'intake-api-keys-listen',
      channels: [API_KEYS_CHANNEL],
      onNotification: (_channel, keyId) => this.tell((w) => w.changed(keyId || undefined)),
      onConnected: () => this.tell((w) => w.resync()),
      onDisconnected: () => this.tell((w) => w.resync()),
      warn: (m) => this.log.warn(m),
    });
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.close();
  }

  private tell(what: (w: ApiKeyWatcher) => void): void {
    for (const w of this.watchers) what(w);
  }
}
