// The one way a service hears Postgres NOTIFY: a dedicated connection that LISTENs on its channels and comes
// back by itself after the connection or the server was lost. Session state that must live on one
// connection (a session advisory lock, say) can be taken on it too, through `query`.
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

export interface PostgresListenerOptions {
  url: string;
  /** Connection-time settings (`-c search_path=...`), as the service's pool has them. */
  pgOptions?: string;
  applicationName: string;
  channels: string[];
  onNotification: (channel: string, payload: string) => void;
  /**
   * After every (re)connection, once LISTEN is in place. Notifications sent while it was down are lost,
   * so whoever relies on them looks again here.
   */
  onConnected?: () => void;
  /** The connection was lost: session state (locks, LISTEN) is gone with it. */
  onDisconnected?: (error?: Error) => void;
  warn?: (message: string) => void;
  /** Longest pause between reconnection attempts. */
  maxRetryMs?: number;
}

export class PostgresListener {
  private client?: Client;
  private connecting?: Promise<Client>;
  private closed = false;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;

  constructor(private readonly opts: PostgresListenerOptions) {}

  /** A listener that connects as the service's data source does (same URL, same schema on the search path). */
  static of(dataSource: DataSource, opts: Omit<PostgresListenerOptions, 'url' | 'pgOptions'>): PostgresListener {
    const ds = dataSource.options as { url?: string; extra?: { options?: string } };
    return new PostgresListener({ ...opts, url: ds.url ?? '', pgOptions: ds.extra?.options });
  }

  /** True while LISTEN is in place: a notification sent now will be heard. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Connects and listens; fails if the first attempt fails (a service that cannot reach Postgres does not start). */
  async start(): Promise<void> {
    this.closed = false;
    await this.ensure();
  }

  /** Runs a statement on the listener's own connection, reconnecting first if it was lost. */
  async query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    const client = await this.ensure();
    return (await client.query(sql, params)).rows as R[];
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensure(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('the Postgres listener is closed'));
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.opts.url, application_name: this.opts.applicationName, options: this.opts.pgOptions });
    client.on('notification', (m) => this.opts.onNotification(m.channel, m.payload ?? ''));
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.opts.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('the Postgres listener is closed');
    }
    this.client = client;
    this.failures = 0;
    this.opts.onConnected?.();
    return client;
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.opts.warn?.(`Postgres listener (${this.opts.applicationName}) lost its connection${error ? `: ${error.message}` : ''}; reconnecting`);
    this.opts.onDisconnected?.(error);
    this.scheduleReconnect();
  }

  /** Reconnects in the background, so notifications resume even when nobody queries. */
  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const pause = Math.min(this.opts.maxRetryMs ?? 5000, 100 * 2 ** this.failures++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed || this.client || this.connecting) return;
      this.ensure().catch(() => undefined);
    }, pause);
    this.retryTimer.unref();
  }
}
