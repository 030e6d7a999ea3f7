// An organisation's reader of its Vantage feed, with nats.js: the example deploy/nats/README.md describes, and the one
// tests/deploy runs against the compose NATS configuration. It needs only Node 18+ and the `nats` package, so an
// organisation can copy it into its own code.
//
//   read-feed --credentials feed-credentials.json [--ca nats-ca.pem] [--server tls://host:4222]
//             [--consumer <orgId>[_<name>]] [--filter vantage.feed.<orgId>.<narrower>] [--count 100]
// (in this repository: node -r ./apps/launcher/src/register.js deploy/nats/read-feed.ts --credentials ...; elsewhere
// compile it, or run it with a TypeScript runner such as tsx)
//
// feed-credentials.json is the gateway's answer to POST /v1/feeds/credentials, saved as it came. Each event is
// printed as one line of JSON ({ subject, event }) and acknowledged; run it again to go on where it stopped.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AckPolicy, connect, credsAuthenticator, NatsConnection } from 'nats';

/** The gateway's answer to POST /v1/feeds/credentials. */
export interface FeedCredentials {
  user: string;
  creds: string;
  inboxPrefix: string;
  stream: string;
  filterSubject: string;
  consumers: string[];
  expiresAt: string;
  servers?: string[];
}

export interface FeedReading {
  /** One of `credentials.consumers` (default: the first, named after the organisation). */
  consumer?: string;
  /** Your feed, or a narrower subject inside it (default: the whole feed). */
  filterSubject?: string;
  /** Stop after this many events (default 100). */
  count?: number;
  /** Stop when no event came for this long (default 5 s). */
  idleMs?: number;
}

/**
 * Connects as the organisation's feed user. The inbox prefix is required: the user may receive replies (fetched
 * events included) only under it. `ca` is the deployment's NATS CA (PEM), when its certificate is not publicly trusted.
 */
export function connectToFeed(credentials: FeedCredentials, opts: { servers?: string[]; ca?: string } = {}): Promise<NatsConnection> {
  const servers = opts.servers ?? credentials.servers;
  if (!servers?.length) throw new Error('no NATS server: pass --server (the gateway names none)');
  return connect({
    servers,
    name: credentials.user,
    authenticator: credsAuthenticator(new TextEncoder().encode(credentials.creds)),
    inboxPrefix: credentials.inboxPrefix,
    tls: opts.ca ? { ca: opts.ca } : {},
  });
}

/**
 * Makes sure the durable consumer exists on your own feed (creating it carries its filter, which the server checks
 * against your rights), then reads and acknowledges events. Stream information is refused to feed users (it would
 * list other organisations' subjects): nothing here asks for it.
 */
export async function readFeed(
  nc: NatsConnection,
  credentials: FeedCredentials,
  reading: FeedReading,
  onEvent: (subject: string, event: unknown) => void,
): Promise<number> {
  const consumer = reading.consumer ?? credentials.consumers[0];
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(credentials.stream, {
    durable_name: consumer,
    filter_subject: reading.filterSubject ?? credentials.filterSubject,
    ack_policy: AckPolicy.Explicit,
  });
  const feed = await nc.jetstream().consumers.get(credentials.stream, consumer);
  let read = 0;
  while (read < (reading.count ?? 100)) {
    const m = await feed.next({ expires: reading.idleMs ?? 5000 });
    if (!m) break;
    onEvent(m.subject, m.json());
    m.ack();
    read++;
  }
  return read;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      credentials: { type: 'string' },
      ca: { type: 'string' },
      server: { type: 'string', multiple: true },
      consumer: { type: 'string' },
      filter: { type: 'string' },
      count: { type: 'string' },
    },
    strict: true,
  });
  if (!values.credentials) throw new Error('usage: read-feed --credentials feed-credentials.json [--ca ca.pem] [--server tls://host:4222] [--consumer name] [--filter subject] [--count n]');
  const credentials = JSON.parse(readFileSync(values.credentials, 'utf8')) as FeedCredentials;
  const nc = await connectToFeed(credentials, { servers: values.server, ca: values.ca ? readFileSync(values.ca, 'utf8') : undefined });
  try {
    const read = await readFeed(nc, credentials, { consumer: values.consumer, filterSubject: values.filter, count: values.count ? Number(values.count) : undefined }, (subject, event) =>
      process.stdout.write(`${JSON.stringify({ subject, event })}\n`),
    );
    process.stderr.write(`${read} events; credentials expire ${credentials.expiresAt}\n`);
  } finally {
    // Drain sends the last acknowledgements before closing.
    await nc.drain();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
