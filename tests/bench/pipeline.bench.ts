// `npm run bench -- pipeline [--events N]`: durable events per second through the backbone
// (outbox → relay → JetStream → durable consumer → handler with inbox record and one effect row, committed,
// acked), one event per transaction and batched, beside a raw baseline doing the same durable work with
// the bare `pg` and `nats` clients, measured in the same run on the same servers.
import { AckPolicy, DeliverPolicy, JsMsg, NatsConnection, StorageType, nanos } from 'nats';
import { Pool } from 'pg';
import { loadConfig } from '@vantage/config';
import { EventEnvelope, SubmissionReceived, SubmissionReceivedV1 } from '@vantage/contracts';
import {
  BackboneConfig, backboneEntry, BatchEffectHandlers, EffectHandlers, submissionEvent, TestEnvironment, waitFor,
} from '@vantage/testing';

type Mode = 'single' | 'batched';

interface Result {
  pipeline: 'backbone' | 'raw';
  mode: Mode;
  events: number;
  seconds: number;
}

const BATCH = 500;

function argValue(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

function makeEvents(n: number): EventEnvelope<SubmissionReceivedV1>[] {
  return Array.from({ length: n }, () => submissionEvent('bench'));
}

async function insertOutbox(pool: Pool, table: string, subject: string, events: EventEnvelope<unknown>[], channel?: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (let i = 0; i < events.length; i += 1000) {
      const chunk = events.slice(i, i + 1000);
      await client.query(
        `INSERT INTO ${table} (event_id, nats_subject, envelope) SELECT unnest($1::uuid[]), $2, unnest($3::jsonb[])`,
        [chunk.map((e) => e.id), subject, chunk.map((e) => JSON.stringify(e))],
      );
    }
    if (channel) await client.query(`NOTIFY ${channel}`);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

async function countWhenDone(pool: Pool, table: string, n: number): Promise<void> {
  await waitFor(async () => (await pool.query(`SELECT count(*)::int AS c FROM ${table}`)).rows[0].c >= n, {
    timeoutMs: 600_000,
    intervalMs: 20,
    what: `${n} effects in ${table}`,
  });
}

async function runBackbone(mode: Mode, n: number): Promise<Result> {
  const env = await TestEnvironment.create();
  const entry = backboneEntry([mode === 'single' ? EffectHandlers : BatchEffectHandlers]);
  await env.migrate(entry);
  const service = await env.start(entry, {
    loadConfig: (e) => loadConfig(BackboneConfig, e),
    module: entry.moduleFor,
    // The fixture relays intake's event from its own outbox: as the stand-in for any service it has every bus right.
    overrides: { LOG_LEVEL: 'warn', VANTAGE_CONSUMER_BATCH: BATCH, OUTBOX_BATCH_SIZE: 1000, OUTBOX_POLL_MS: 20, NATS_CREDS_FILE: env.adminCredsFile },
  });
  const pool = new Pool({ connectionString: env.databaseAdminUrl, max: 2 });
  try {
    const events = makeEvents(n);
    // The clock starts when the outbox rows are committed: what is measured is outbox → handler.
    await insertOutbox(pool, 'notify.outbox', SubmissionReceived.subject(env.prefix), events, 'vantage_outbox_notifier');
    const started = performance.now();
    await countWhenDone(pool, 'notify.effects', n);
    return { pipeline: 'backbone', mode, events: n, seconds: (performance.now() - started) / 1000 };
  } finally {
    await pool.end();
    await service.close();
    await env.dispose();
  }
}

/** The same durable work with bare clients: no framework, no validation, no metrics. */
async function runRaw(mode: Mode, n: number): Promise<Result> {
  const env = await TestEnvironment.create();
  const nc: NatsConnection = await env.nats();
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const stream = `${env.prefix.toUpperCase()}_RAW`;
  const subject = `${env.prefix}.raw.submission.received`;
  await jsm.streams.add({ name: stream, subjects: [`${env.prefix}.raw.>`], storage: StorageType.File, duplicate_window: nanos(600_000) });
  await jsm.consumers.add(stream, { durable_name: 'raw', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 10_000 });
  const pool = new Pool({ connectionString: env.databaseAdminUrl, max: 10 });
  await pool.query(`CREATE SCHEMA raw;
    CREATE TABLE raw.outbox (seq bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, nats_subject text NOT NULL, envelope jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz);
    CREATE INDEX ON raw.outbox (seq) WHERE sent_at IS NULL;
    CREATE TABLE raw.inbox (consumer text NOT NULL, event_id uuid NOT NULL, handled_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer, event_id));
    CREATE TABLE raw.effects (event_id uuid NOT NULL, submission_id uuid NOT NULL, handled_by text NOT NULL);`);
  const events = makeEvents(n);
  let stop = false;
  const enc = new TextEncoder();
  const dec = new TextDecoder();

  const relay = async () => {
    while (!stop) {
      const client = await pool.connect();
      let published = 0;
      try {
        await client.query('BEGIN');
        const { rows } = await client.query('SELECT seq, event_id, nats_subject, envelope::text AS body FROM raw.outbox WHERE sent_at IS NULL ORDER BY seq LIMIT 1000');
        await Promise.all(rows.map((r) => js.publish(r.nats_subject, enc.encode(r.body), { msgID: r.event_id })));
        await client.query('UPDATE raw.outbox SET sent_at = now() WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
        await client.query('COMMIT');
        published = rows.length;
      } finally {
        client.release();
      }
      if (published === 0) await new Promise((r) => setTimeout(r, 20));
    }
  };

  const handle = async (msgs: JsMsg[]) => {
    const parsed = msgs.map((m) => JSON.parse(dec.decode(m.data)) as EventEnvelope<SubmissionReceivedV1>);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `INSERT INTO raw.inbox (consumer, event_id) SELECT 'raw', unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [parsed.map((e) => e.id)],
      );
      const fresh = new Set(rows.map((r) => r.event_id));
      const todo = parsed.filter((e) => fresh.has(e.id));
      await client.query(`INSERT INTO raw.effects (event_id, submission_id, handled_by) SELECT unnest($1::uuid[]), unnest($2::uuid[]), 'raw'`, [
        todo.map((e) => e.id),
        todo.map((e) => e.data.submissionId),
      ]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    for (const m of msgs) m.ack();
  };

  const consumer = await js.consumers.get(stream, 'raw');
  const messages = await consumer.consume({ max_messages: BATCH * 2 });
  // The same batching as the backbone: reading and handling side by side, batches of what has arrived.
  const consume = async () => {
    const buffer: JsMsg[] = [];
    let arrived: (() => void) | undefined;
    let reading = true;
    const reader = (async () => {
      for await (const m of messages) {
        buffer.push(m);
        arrived?.();
      }
      reading = false;
      arrived?.();
    })();
    while (reading || buffer.length) {
      if (buffer.length === 0) {
        await new Promise<void>((r) => (arrived = r));
        continue;
      }
      if (mode === 'single') await handle(buffer.splice(0, 1));
      else await handle(buffer.splice(0, BATCH));
    }
    await reader;
  };

  try {
    await insertOutbox(pool, 'raw.outbox', subject, events);
    const started = performance.now();
    const loops = [relay(), consume()];
    await countWhenDone(pool, 'raw.effects', n);
    const seconds = (performance.now() - started) / 1000;
    stop = true;
    messages.stop();
    await Promise.allSettled(loops);
    return { pipeline: 'raw', mode, events: n, seconds };
  } finally {
    await pool.end();
    await env.dispose();
  }
}

export async function main(args: string[]): Promise<void> {
  const batched = argValue(args, '--events', 20_000);
  const single = argValue(args, '--single-events', Math.max(1000, Math.round(batched / 5)));
  const modes = args.includes('--batched-only') ? (['batched'] as Mode[]) : (['single', 'batched'] as Mode[]);
  const results: Result[] = [];
  // Raw first, then backbone, per mode: both see the same warm servers.
  for (const mode of modes) {
    results.push(await runRaw(mode, mode === 'single' ? single : batched));
    results.push(await runBackbone(mode, mode === 'single' ? single : batched));
  }

  const rate = (r: Result) => r.events / r.seconds;
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(22) : c.padStart(12))).join('');
  console.log('\npipeline: durable events through outbox → JetStream → handler (inbox + effect row, committed, acked)\n');
  console.log(line(['run', 'events', 'seconds', 'events/s']));
  for (const r of results) console.log(line([`${r.pipeline} ${r.mode}`, String(r.events), r.seconds.toFixed(2), rate(r).toFixed(0)]));
  for (const mode of modes) {
    const raw = results.find((r) => r.pipeline === 'raw' && r.mode === mode)!;
    const backbone = results.find((r) => r.pipeline === 'backbone' && r.mode === mode)!;
    console.log(`ratio backbone/raw (${mode}): ${(rate(backbone) / rate(raw)).toFixed(2)}`);
  }
  const rawBatched = rate(results.find((r) => r.pipeline === 'raw' && r.mode === 'batched')!);
  const ours = rate(results.find((r) => r.pipeline === 'backbone' && r.mode === 'batched')!);
  console.log(`target: backbone batched ≥ 0.6 × raw batched (${(0.6 * rawBatched).toFixed(0)} events/s): ${ours >= 0.6 * rawBatched ? 'met' : 'NOT met'}`);
}
