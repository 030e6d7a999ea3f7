// `npm run bench -- intake [--seconds N] [--repeat N]`: POST /v1/submissions through the gateway (auth, validation,
// idempotency-free create with sealed credential, outbox row, one transaction) against a bare Fastify
// handler doing the same validation and the same insert with `pg`, in the same run on the same database.
// The rounds (bare then gateway, at 500 req/s and flat out) run --repeat N times (3 unless told), alternating, and the
// verdicts use the medians: on a shared two-core machine one round's figures swing by a third.
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { validatePayload, PayloadInvalidError } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { TestEnvironment } from '@vantage/testing';
import { CreateSubmissionDto } from '../../apps/intake/src/submissions/dto/submission.dto';
import { Gateway, submissionBody } from '../../apps/intake/test/gateway-fixture';

interface Figures {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

function argValue(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

async function drive(name: string, url: string, key: string | undefined, seconds: number, rate?: number): Promise<Figures> {
  const body = JSON.stringify(submissionBody({ plannedReleaseAt: '2027-06-01T00:00:00Z', earliestAccessAt: '2027-05-01T00:00:00Z' }));
  const result = await autocannon({
    url: `${url}/v1/submissions`,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    connections: rate ? 20 : 32,
    // The load comes from a worker thread, so it does not steal the servers' event loop.
    workers: 1,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
  });
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

/** The baseline: Fastify, the same DTO validation, the same sealed secret and rows, bare `pg`. */
async function bareServer(databaseUrl: string, box: SecretBox, labId: string) {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  // Its own outbox table, shaped like intake's: the gateway's relay must not meet rows that were never events.
  await pool.query('CREATE SCHEMA IF NOT EXISTS bench_bare; CREATE TABLE IF NOT EXISTS bench_bare.outbox (LIKE intake.outbox INCLUDING ALL)');
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  app.post('/v1/submissions', async (req, reply) => {
    let dto: CreateSubmissionDto;
    try {
      dto = validatePayload(CreateSubmissionDto, req.body);
    } catch (e) {
      return reply.status(400).send({ detail: (e as PayloadInvalidError).message });
    }
    const id = uuidv7();
    const now = new Date();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO intake.submissions (id, lab_id, model_name, model_version, planned_release_at, earliest_access_at, declared_training_flop,
          agencies, endpoint_base_url, endpoint_model_id, endpoint_api_key, status, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,NULL,$8,$9,$10,'active',$11,$11)`,
        [id, labId, dto.model.name, dto.model.version, dto.plannedReleaseAt, dto.earliestAccessAt ?? null, dto.declaredTrainingFlop ?? null,
          dto.endpoint.baseUrl, dto.endpoint.modelId, box.seal(dto.endpoint.apiKey, id), now],
      );
      await client.query(`INSERT INTO bench_bare.outbox (event_id, nats_subject, envelope) VALUES ($1, 'bench.none', $2::jsonb)`, [uuidv7(), JSON.stringify({ id })]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    return reply.status(201).send({ id, status: 'active', model: dto.model, plannedReleaseAt: dto.plannedReleaseAt, createdAt: now.toISOString() });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: async () => { await app.close(); await pool.end(); } };
}

export async function main(args: string[]): Promise<void> {
  const seconds = argValue(args, '--seconds', 10);
  const env = await TestEnvironment.create(new Date().toISOString());
  // No rate limit in the way of the measurement, and quiet logs.
  const gw = await Gateway.start(env, { RATE_LIMIT_PER_MINUTE: 1_000_000, LOG_LEVEL: 'warn' });
  const lab = await gw.organisation('lab', 'Bench Lab');
  const bare = await bareServer(env.databaseAdminUrl, SecretBox.fromSetting(`test:${env.encryptionKey}`), lab.id);
  try {
    const repeat = argValue(args, '--repeat', 3);
    // Warm both up, then measure: fixed 500 req/s for latency, then flat out for throughput.
    await drive('warm-up', bare.url, undefined, 2);
    await drive('warm-up', gw.url, lab.key, 2);
    const figures: Figures[] = [];
    const rounds: { at500: Figures; ratio: number }[] = [];
    for (let i = 1; i <= repeat; i++) {
      const n = repeat > 1 ? ` ${i}` : '';
      const bare500 = await drive(`bare @500/s${n}`, bare.url, undefined, seconds, 500);
      const gw500 = await drive(`gateway @500/s${n}`, gw.url, lab.key, seconds, 500);
      const bareMax = await drive(`bare max${n}`, bare.url, undefined, seconds);
      const gwMax = await drive(`gateway max${n}`, gw.url, lab.key, seconds);
      figures.push(bare500, gw500, bareMax, gwMax);
      rounds.push({ at500: gw500, ratio: gwMax.rps / bareMax.rps });
    }

    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(20) : c.padStart(11))).join('');
    console.log('\nintake: POST /v1/submissions (validate, seal credential, insert submission + outbox row, commit)\n');
    console.log(line(['run', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx']));
    for (const f of figures) console.log(line([f.name, String(f.requests), f.rps.toFixed(0), String(f.p50), String(f.p99), String(f.non2xx)]));
    console.log(`(gateway wrote ${gw.service.logs.lines.length} log lines)`);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];
    const ratio = median(rounds.map((r) => r.ratio));
    const p99 = median(rounds.map((r) => r.at500.p99));
    const failed = rounds.some((r) => r.at500.non2xx > 0);
    const of = (xs: number[], digits: number) => (repeat > 1 ? `; median of ${xs.map((x) => x.toFixed(digits)).join(', ')}` : '');
    console.log(`\nratio gateway/bare throughput: ${ratio.toFixed(2)}${of(rounds.map((r) => r.ratio), 2)}`);
    console.log(`target: p99 at 500 req/s under 50 ms: ${p99 < 50 && !failed ? 'met' : 'NOT met'} (${p99} ms${of(rounds.map((r) => r.at500.p99), 0)})`);
    console.log(`target: throughput at least half the bare handler's: ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
  } finally {
    await bare.close();
    await gw.close();
    await env.dispose();
  }
}
