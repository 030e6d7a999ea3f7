// The service's one NATS connection, with JetStream and its manager, and the one way to put messages on a stream.
import { readFileSync } from 'node:fs';
import { connect, ConnectionOptions, createInbox, credsAuthenticator, JetStreamClient, JetStreamManager, MsgHdrs, NatsConnection } from 'nats';

/** A message for a stream. Its `Nats-Msg-Id` header, when set, lets the stream drop a republished copy. */
export interface StreamMessage {
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs;
}

/**
 * JetStream could not take the messages for now: no stream answered for a subject (its stream has no leader, as
 * while a cluster elects one after losing a node, or there is no such stream) or the acknowledgements did not come
 * in time. Says nothing about the messages themselves: the same publish succeeds once the stream is back. A stream
 * that answers and refuses a message is a plain Error.
 */
export class StreamUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamUnavailableError';
  }
}

/** How to reach and authenticate to NATS: the one way every Vantage connection is made. */
export interface NatsConnectOptions {
  /** Comma-separated servers: `nats://` (plain, loopback only in practice) or `tls://`. */
  url: string;
  name: string;
  /** A NATS `.creds` file (user JWT and seed) as its text: every connection authenticates. */
  creds: string;
  /** PEM CA bundle that the server's certificate must chain to; given, the connection requires TLS. */
  tlsCa?: string;
  /** The user's reply subjects (see bus-rights.ts serviceInboxPrefix); `_INBOX` otherwise. */
  inboxPrefix?: string;
}

export function natsConnectionOptions(opts: NatsConnectOptions): ConnectionOptions {
  return {
    servers: opts.url.split(',').map((s) => s.trim()),
    name: opts.name,
    authenticator: credsAuthenticator(new TextEncoder().encode(opts.creds)),
    ...(opts.inboxPrefix ? { inboxPrefix: opts.inboxPrefix } : {}),
    ...(opts.tlsCa || /(^|,)\s*tls:\/\//.test(opts.url) ? { tls: opts.tlsCa ? { ca: opts.tlsCa } : {} } : {}),
  };
}

/** Reads a `.creds` or CA file named in configuration, saying which setting named it when it cannot be read. */
export function readNatsFile(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${setting}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** How long a stream has to acknowledge a batch before the publish counts as failed. */
const STREAM_ACK_TIMEOUT_MS = 10_000;

export class NatsClient {
  private constructor(
    readonly connection: NatsConnection,
    readonly jetstream: JetStreamClient,
    readonly manager: JetStreamManager,
    readonly prefix: string,
    /** Where replies to this connection come: its user may subscribe there and nowhere else for replies. */
    readonly inboxPrefix: string,
  ) {}

  static async connect(opts: NatsConnectOptions & { prefix: string }): Promise<NatsClient> {
    const connection = await connect({
      ...natsConnectionOptions(opts),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // nats.js's own default: the first connection may take seconds on a loaded host (a CI run saw 5 s pass).
      timeout: 20_000,
      // Each request and publish otherwise captures a stack trace up front (to append to a later error): a cost
      // paid on every event relayed and every request-reply call, for a longer trace on the rare failure.
      noAsyncTraces: true,
    });
    const manager = await connection.jetstreamManager();
    return new NatsClient(connection, connection.jetstream(), manager, opts.prefix, opts.inboxPrefix ?? '_INBOX');
  }

  /** A new reply subject under this connection's inbox prefix. */
  newInbox(): string {
    return createInbox(this.inboxPrefix);
  }

  /**
   * Publishes to JetStream, pipelined, every message acknowledged by the stream on one reply subscription; resolves
   * when each is stored (or was a duplicate), rejects on the first refusal or after the timeout. `jetstream.publish`
   * per message (a request with its own inbox, timer and error objects) cost more CPU than the rest of relaying it.
   * The server handles one connection's publishes in order, so they are stored in the order given.
   */
  publishToStreams(messages: StreamMessage[], timeoutMs = STREAM_ACK_TIMEOUT_MS): Promise<void> {
    if (!messages.length) return Promise.resolve();
    const connection = this.connection;
    const inbox = this.newInbox();
    const decoder = new TextDecoder();
    return new Promise<void>((resolve, reject) => {
      let waiting = messages.length;
      const acked = new Uint8Array(messages.length);
      const fail = (e: Error) => {
        clearTimeout(timer);
        sub.unsubscribe();
        reject(e);
      };
      const timer = setTimeout(() => fail(new StreamUnavailableError(`${waiting} of ${messages.length} messages not acknowledged by a stream within ${timeoutMs} ms`)), timeoutMs);
      const sub = connection.subscribe(`${inbox}.*`, {
        callback: (err, msg) => {
          if (err) return fail(err);
          const i = Number(msg.subject.slice(inbox.length + 1));
          // No stream takes the subject: the server answers with an empty 503 status message.
          if (msg.data.length === 0) return fail(new StreamUnavailableError(`no stream stored ${messages[i]?.subject} (${msg.headers?.code ?? 'no answer'})`));
          const ack = JSON.parse(decoder.decode(msg.data)) as { error?: { description?: string } };
          if (ack.error) return fail(new Error(`${messages[i]?.subject} refused by its stream: ${ack.error.description ?? 'error'}`));
          if (acked[i]) return;
          acked[i] = 1;
          if (--waiting === 0) {
            clearTimeout(timer);
            sub.unsubscribe();
            resolve();
          }
        },
      });
      messages.forEach((m, i) => connection.publish(m.subject, m.data, { reply: `${inbox}.${i}`, headers: m.headers }));
    });
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
