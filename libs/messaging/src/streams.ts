// The JetStream streams: one per producing domain, plus the dead-letter stream. Created or updated at start-up.
import { DiscardPolicy, JetStreamManager, nanos, RetentionPolicy, StorageType, StreamConfig } from 'nats';
import { Domain, DOMAINS } from '@vantage/contracts';

export interface StreamSettings {
  prefix: string;
  replicas: number;
  storage: 'file' | 'memory';
  maxAgeDays: number;
  duplicateWindowMs: number;
}

export function streamPrefix(prefix: string): string {
  return prefix.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export function streamNameOf(prefix: string, domain: Domain): string {
  return `${streamPrefix(prefix)}_${domain.toUpperCase()}`;
}

export function deadLetterStreamName(prefix: string): string {
  return `${streamPrefix(prefix)}_DLQ`;
}

/** The per-organisation feeds the notifier republishes to (`<prefix>.feed.<orgId>.<type>`). */
export function feedStreamName(prefix: string): string {
  return `${streamPrefix(prefix)}_FEED`;
}

export function deadLetterSubject(prefix: string, service: string): string {
  return `${prefix}.dlq.${service}`;
}

export function streamConfigs(s: StreamSettings): Partial<StreamConfig>[] {
  const common = {
    retention: RetentionPolicy.Limits,
    storage: s.storage === 'memory' ? StorageType.Memory : StorageType.File,
    num_replicas: s.replicas,
    max_age: nanos(s.maxAgeDays * 24 * 3600 * 1000),
    duplicate_window: nanos(s.duplicateWindowMs),
    discard: DiscardPolicy.Old,
  };
  return [
    ...DOMAINS.map((domain) => ({ ...common, name: streamNameOf(s.prefix, domain), subjects: [`${s.prefix}.${domain}.>`] })),
    // Dead letters stay until an operator deals with them: no age limit.
    { ...common, max_age: 0, name: deadLetterStreamName(s.prefix), subjects: [`${s.prefix}.dlq.>`] },
    // The per-organisation feeds the notifier republishes (`<prefix>.feed.<orgId>.<type>`): one stream, so that an
    // organisation's NATS user can be allowed consumers filtered on its own subjects only.
    { ...common, name: feedStreamName(s.prefix), subjects: [`${s.prefix}.feed.>`] },
  ];
}

/** Idempotent: creates missing streams, updates the mutable settings of existing ones. */
export async function ensureStreams(jsm: JetStreamManager, configs: Partial<StreamConfig>[]): Promise<void> {
  for (const config of configs) {
    const name = config.name as string;
    await naming(`stream ${name}`, () => ensureStream(jsm, name, config));
  }
}

/** Runs `fn`; a failure's message names what it was about (a bare NATS `TIMEOUT` says nothing of which request). */
export async function naming<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith(what)) e.message = `${what}: ${e.message}`;
    throw e;
  }
}

async function ensureStream(jsm: JetStreamManager, name: string, config: Partial<StreamConfig>): Promise<void> {
  const existing = await jsm.streams.info(name).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  if (!existing) {
    try {
      await jsm.streams.add(config);
      return;
    } catch (e) {
      // Another replica created it between our look and our add.
      if (!/already in use|already exists/i.test(String((e as Error).message))) throw e;
    }
  }
  const current = existing?.config ?? (await jsm.streams.info(name)).config;
  // Storage cannot change on a live stream; everything else we own follows configuration.
  await jsm.streams.update(name, { ...current, ...config, storage: current.storage } as StreamConfig);
}

function isNotFound(e: unknown): boolean {
  return /not found/i.test(String((e as Error)?.message)) || (e as { code?: string })?.code === '404';
}
