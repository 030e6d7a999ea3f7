// The service's one NATS connection, with JetStream and its manager.
import { connect, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';

export class NatsClient {
  private constructor(
    readonly connection: NatsConnection,
    readonly jetstream: JetStreamClient,
    readonly manager: JetStreamManager,
    readonly prefix: string,
  ) {}

  static async connect(opts: { url: string; name: string; prefix: string }): Promise<NatsClient> {
    const connection = await connect({
      servers: opts.url.split(',').map((s) => s.trim()),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 5000,
      // Each request and publish otherwise captures a stack trace up front (to append to a later error): a cost
      // paid on every event relayed and every request-reply call, for a longer trace on the rare failure.
      noAsyncTraces: true,
    });
    const manager = await connection.jetstreamManager();
    return new NatsClient(connection, connection.jetstream(), manager, opts.prefix);
  }

  get isUsable(): boolean {
    return !this.connection.isClosed() && !this.connection.isDraining();
  }

  /** Lets in-flight work finish, then closes. */
  async drain(): Promise<void> {
    if (this.connection.isClosed()) return;
    try {
      await this.connection.drain();
    } catch {
      await this.connection.close();
    }
  }
}
