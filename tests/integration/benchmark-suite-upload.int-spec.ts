// Suites bigger than one NATS message or the gateway's JSON body limit, uploaded as JSONL through the gateway:
// streamed to the runner in chunks and sealed with a content hash, or refused with the line named and
// nothing left behind.
import { generateTasks, mulberry32 } from '@vantage/apps/lab-simulator';
import { SuiteContentHasher } from '@vantage/contracts';
import { RunningService, TestEnvironment } from '@vantage/testing';
import { Gateway } from '../../apps/intake/test/gateway-fixture';
import { migrateSchedulerAndRunner, startRunner } from './benchmark-fixture';

jest.setTimeout(120_000);

const ITEMS = 20_000;

describe('benchmark suite upload', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let runner: RunningService;
  const tasks = generateTasks(ITEMS, mulberry32(5150)).map((t, i) => ({ id: `item-${i}`, ...t }));
  const probe = tasks.find((t) => /^[a-z]{6,}$/.test(t.target))!;

  const jsonl = (metadata: object, items: object[], extra: Record<number, string> = {}) => {
    const lines = [JSON.stringify(metadata), ...items.map((i) => JSON.stringify(i))];
    for (const [line, text] of Object.entries(extra)) lines[Number(line) - 1] = text;
    return `${lines.join('\n')}\n`;
  };
  const upload = (raw: string, key = gw.operatorKey) =>
    gw.call('POST', '/v1/suites', { key, raw, headers: { 'content-type': 'application/x-ndjson' } });
  const nothingPending = async () => {
    expect(await env.query('SELECT id FROM bench.suite_uploads')).toEqual([]);
    expect(await env.query('SELECT DISTINCT suite_id FROM bench.suite_chunks WHERE suite_id NOT IN (SELECT id FROM bench.suites)')).toEqual([]);
  };

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await migrateSchedulerAndRunner(env);
    gw = await Gateway.start(env);
    runner = await startRunner(env, {});
  });
  afterAll(async () => {
    await runner?.close();
    await gw?.close();
    await env?.dispose();
  });

  it(`takes a ${ITEMS}-item JSONL suite (over 1 MB) in chunks and names its content hash`, async () => {
    const body = jsonl({ name: 'large', version: '1', classification: 'secret', scorer: 'exact', threshold: 0.7, epochs: 2 }, tasks);
    expect(Buffer.byteLength(body)).toBeGreaterThan(2 * 1024 * 1024);
    const created = await upload(body);
    expect(created.status).toBe(201);
    const hasher = new SuiteContentHasher();
    for (const t of tasks) hasher.add(t);
    expect(created.body).toMatchObject({ name: 'large', version: '1', itemCount: ITEMS, epochs: 2, contentHash: hasher.digest(), active: true });
    expect(created.text).not.toContain(probe.target);
    // Stored in several sealed chunks, none holding an item in the clear.
    const chunks = await env.query<{ sealed: string }>('SELECT sealed FROM bench.suite_chunks WHERE suite_id = $1', [created.body.id]);
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.some((c) => c.sealed.includes(probe.target) || c.sealed.includes(probe.input))).toBe(false);
    await nothingPending();
    const listed = await gw.call('GET', '/v1/suites', { key: gw.operatorKey });
    expect(listed.body.items).toEqual([expect.objectContaining({ id: created.body.id, itemCount: ITEMS })]);
  });

  it('gives the same suite the same content hash whether sent as JSON or as JSONL', async () => {
    const few = tasks.slice(0, 50);
    const asJson = await gw.call('POST', '/v1/suites', {
      key: gw.operatorKey, body: { name: 'same', version: 'json', classification: 'unclassified', scorer: 'exact', items: few },
    });
    const asJsonl = await upload(jsonl({ name: 'same', version: 'jsonl', classification: 'unclassified', scorer: 'exact' }, few));
    expect([asJson.status, asJsonl.status]).toEqual([201, 201]);
    expect(asJsonl.body.contentHash).toBe(asJson.body.contentHash);
  });

  it('refuses a malformed line far into the upload with 400 naming the line, leaving no half suite', async () => {
    const metadata = { name: 'broken', version: '1', classification: 'unclassified', scorer: 'exact' };
    // Line 15,001 (item 15,000): well after the first chunks have reached the runner.
    const notJson = await upload(jsonl(metadata, tasks, { 15_001: '{"id": "x", "input": ' }));
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors).toEqual([{ field: 'line 15001', message: 'is not JSON' }]);
    await nothingPending();

    const badField = await upload(jsonl(metadata, tasks, { 12_000: JSON.stringify({ id: 'y', input: 'q', target: 42 }) }));
    expect(badField.status).toBe(400);
    expect(badField.body.errors).toEqual([{ field: 'line 12000.target', message: expect.stringContaining('string') }]);
    expect(badField.body.detail).toContain('line 12000');

    const badMetadata = await upload(jsonl({ ...metadata, scorer: 'vibes' }, tasks.slice(0, 3)));
    expect(badMetadata.status).toBe(400);
    expect(badMetadata.body.errors).toEqual([{ field: 'line 1.scorer', message: expect.any(String) }]);

    const empty = await upload('');
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'line 1', message: 'must hold the suite metadata' }]);
    const metadataOnly = await upload(`${JSON.stringify(metadata)}\n\n`);
    expect(metadataOnly.status).toBe(400);
    expect(metadataOnly.body.errors).toEqual([{ field: 'items', message: 'must hold at least one item' }]);

    expect(await env.query("SELECT 1 FROM bench.suites WHERE name = 'broken'")).toEqual([]);
    await nothingPending();
  });

  it('refuses an item the scorer cannot score (422) or a repeated id, naming both lines', async () => {
    const numeric = { name: 'numbers', version: '1', classification: 'unclassified', scorer: 'numeric' };
    const items = Array.from({ length: 9000 }, (_, i) => ({ id: `n${i}`, input: `What is ${i} + 1?`, target: String(i + 1) }));
    const unscorable = await upload(jsonl(numeric, items, { 8000: JSON.stringify({ id: 'n7998', input: 'q', target: 'eighty' }) }));
    expect(unscorable.status).toBe(422);
    expect(unscorable.body.errors).toEqual([{ field: 'line 8000.target', message: expect.any(String) }]);
    expect(unscorable.text).not.toContain('eighty');

    const repeated = await upload(jsonl(numeric, items, { 7000: JSON.stringify({ id: 'n5', input: 'q', target: '1' }) }));
    expect(repeated.status).toBe(422);
    expect(repeated.body.errors).toEqual([{ field: 'line 7000.id', message: 'is used by line 7' }]);
    expect(await env.query("SELECT 1 FROM bench.suites WHERE name = 'numbers'")).toEqual([]);
    await nothingPending();
  });

  it('refuses a second suite of the same name and version (409) and uploads from non-operators (403)', async () => {
    const again = await upload(jsonl({ name: 'large', version: '1', classification: 'secret', scorer: 'exact' }, tasks.slice(0, 10)));
    expect(again.status).toBe(409);
    const agency = await gw.organisation('agency', 'Uploader Agency', 'top-secret');
    expect((await upload(jsonl({ name: 'x', version: '1', classification: 'secret', scorer: 'exact' }, tasks.slice(0, 10)), agency.key)).status).toBe(403);
    await nothingPending();
  });

  it('answers a repeated upload with the same Idempotency-Key with the first suite, and keeps one', async () => {
    const body = jsonl({ name: 'retried', version: '1', classification: 'cui', scorer: 'exact' }, tasks.slice(0, 50));
    const headers = { 'content-type': 'application/x-ndjson', 'idempotency-key': 'suite-retry-1' };
    const first = await gw.call('POST', '/v1/suites', { key: gw.operatorKey, raw: body, headers });
    const again = await gw.call('POST', '/v1/suites', { key: gw.operatorKey, raw: body, headers });
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(await env.query("SELECT id FROM bench.suites WHERE name = 'retried'")).toEqual([{ id: first.body.id }]);
    // Another suite under the same key is refused, whether sent as JSONL or as JSON.
    const other = await gw.call('POST', '/v1/suites', {
      key: gw.operatorKey, raw: jsonl({ name: 'retried', version: '2', classification: 'cui', scorer: 'exact' }, tasks.slice(0, 50)), headers,
    });
    expect(other).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
    await nothingPending();
  });

  it('documents both bodies of POST /v1/suites in the OpenAPI document', async () => {
    const doc = (await gw.call('GET', '/openapi.json')).body;
    const create = doc.paths['/v1/suites'].post;
    expect(Object.keys(create.requestBody.content)).toEqual(expect.arrayContaining(['application/json', 'application/x-ndjson']));
    expect(create.description).toContain('line 1');
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.CreateSuiteRequest.properties)).toEqual(expect.arrayContaining(['name', 'scorer', 'canary', 'items']));
    // OpenAPI 3.0 has no schema for a line of JSON Lines: the body is text, its lines named by the schemas they follow.
    const jsonl = create.requestBody.content['application/x-ndjson'];
    expect(jsonl.schema).toEqual(expect.objectContaining({ type: 'string', description: expect.stringMatching(/CreateSuiteRequest without `items`.*SuiteItemInput/) }));
    expect(jsonl.example.split('\n')[0]).toContain('"classification"');
    expect(Object.keys(schemas.SuiteItemInput.properties)).toEqual(expect.arrayContaining(['id', 'input', 'target', 'choices']));
  });
});
