// Unit tests of the SDK's retries and headers, against a scripted fetch (no server: see tests/integration/sdk for
// the SDK against a running gateway).
import { createVantageClient, retryAfterMs, unwrap, VantageApiError } from './client';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

function scriptedFetch(answers: Answer[]) {
  const seen: { method: string; url: string; headers: Headers; body: string }[] = [];
  const fetch = (async (input: Request) => {
    seen.push({ method: input.method, url: input.url, headers: input.headers, body: await input.text() });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    const json = next.body === undefined ? null : JSON.stringify(next.body);
    return new Response(json, { status: next.status, headers: { 'content-type': next.status >= 400 ? 'application/problem+json' : 'application/json', ...next.headers } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, seen };
}

const client = (answers: Answer[], over: Record<string, unknown> = {}) => {
  const waits: number[] = [];
  const { fetch, seen } = scriptedFetch(answers);
  const c = createVantageClient({ baseUrl: 'https://vantage.example/', apiKey: 'vnt_k_secret', fetch, sleep: async (ms) => void waits.push(ms), random: () => 0.5, ...over });
  return { c, seen, waits };
};

describe('the SDK client', () => {
  it('sends the API key, and an Idempotency-Key on a POST that has none, the same on every retry', async () => {
    const { c, seen, waits } = client([{ status: 503, body: { status: 503, code: 'service_unavailable' } }, { status: 201, body: { id: 'org-1' } }]);
    const org = await unwrap(c.POST('/v1/orgs', { body: { name: 'Acme', kind: 'lab' } as any }));
    expect(org).toEqual({ id: 'org-1' });
    expect(seen.map((s) => s.headers.get('authorization'))).toEqual(['Bearer vnt_k_secret', 'Bearer vnt_k_secret']);
    const keys = seen.map((s) => s.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^vsdk-[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(seen[1].body).toBe(seen[0].body);
    expect(waits).toEqual([375]); // 500 ms × a jitter of 0.5–1 (0.75 with this random source)
  });

  it('keeps an Idempotency-Key the caller gave', async () => {
    const { c, seen } = client([{ status: 201, body: {} }]);
    await unwrap(c.POST('/v1/orgs', { body: { name: 'Acme', kind: 'lab' } as any, headers: { 'Idempotency-Key': 'mine-1' } }));
    expect(seen[0].headers.get('idempotency-key')).toBe('mine-1');
  });

  it('waits as long as Retry-After says, in seconds or as a date, capped', async () => {
    const date = new Date(Date.now() + 4_000).toUTCString();
    const { c, waits } = client(
      [{ status: 429, headers: { 'retry-after': '2' } }, { status: 429, headers: { 'retry-after': date } }, { status: 429, headers: { 'retry-after': '3600' } }, { status: 200, body: { items: [] } }],
      { maxRetryDelayMs: 10_000 },
    );
    await unwrap(c.GET('/v1/submissions'));
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThan(2000);
    expect(waits[1]).toBeLessThanOrEqual(4000);
    expect(waits[2]).toBe(10_000);
  });

  it('backs off exponentially without Retry-After, and gives up after maxRetries with the last answer', async () => {
    const down = { status: 503, body: { status: 503, code: 'service_unavailable', detail: 'try again shortly' } };
    const { c, waits, seen } = client([down, down, down], { maxRetries: 2, retryBaseMs: 100 });
    const error = await unwrap(c.GET('/v1/submissions')).catch((e) => e);
    expect(error).toBeInstanceOf(VantageApiError);
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([75, 150]); // 100 and 200 ms, × 0.75 jitter
  });

  it('retries a network failure of a GET, and never a refusal a retry cannot fix', async () => {
    const { c, seen } = client([new TypeError('fetch failed'), { status: 200, body: { items: [] } }]);
    await expect(unwrap(c.GET('/v1/submissions'))).resolves.toEqual({ items: [] });
    expect(seen).toHaveLength(2);
    const refused = client([{ status: 422, body: { status: 422, code: 'validation_failed', errors: [{ field: 'plannedReleaseAt', message: 'must be in the future' }] } }]);
    const error = await unwrap(refused.c.POST('/v1/submissions', { body: {} as any })).catch((e) => e);
    expect(refused.seen).toHaveLength(1);
    expect(error.message).toBe('validation_failed: request failed (plannedReleaseAt: must be in the future)');
    expect(error.problem.errors).toEqual([{ field: 'plannedReleaseAt', message: 'must be in the future' }]);
  });

  it('does not retry a PATCH on a 502 (the lab may have got it), but does on a 503 (nothing was done)', async () => {
    const bad = client([{ status: 502, body: { status: 502, code: 'model_unavailable' } }]);
    await expect(unwrap(bad.c.PATCH('/v1/submissions/{id}', { params: { path: { id: 's1' } }, body: {} as any }))).rejects.toMatchObject({ status: 502 });
    expect(bad.seen).toHaveLength(1);
    const busy = client([{ status: 503 }, { status: 200, body: {} }]);
    await unwrap(busy.c.PATCH('/v1/submissions/{id}', { params: { path: { id: 's1' } }, body: {} as any }));
    expect(busy.seen).toHaveLength(2);
  });

  it('reads Retry-After forms', () => {
    expect(retryAfterMs('5')).toBe(5000);
    expect(retryAfterMs(new Date(1_000_000 + 3000).toUTCString(), 1_000_000)).toBe(3000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
