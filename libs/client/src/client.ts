// The Vantage SDK: a typed client of the public API (v1), generated from the gateway's OpenAPI document
// (schema.ts, by openapi-typescript) and called through openapi-fetch. What it adds to a bare fetch:
//   - the API key on every call;
//   - an Idempotency-Key on every POST that has none, kept across its retries, so that retrying a create is safe;
//   - retries of answers that say "try again" (429, 503) and of network failures, after Retry-After when the answer
//     gives one, else after an exponential backoff with jitter, a bounded number of times;
//   - errors as VantageApiError, carrying the problem+json answer (code, detail, the fields named).
import createClient, { Client, Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
export type VantageClient = Client<paths>;

export interface VantageClientOptions {
  /** The gateway, e.g. `https://vantage.gov.example` (no `/v1`). */
  baseUrl: string;
  /** The organisation's API key (`vnt_…`). */
  apiKey?: string;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** The longest single wait between attempts, Retry-After included (default 30 s). */
  maxRetryDelayMs?: number;
  /** The first backoff when the answer gives no Retry-After (default 500 ms, doubled each time). */
  retryBaseMs?: number;
  fetch?: typeof fetch;
  /** How waiting is done (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>;
  /** Random numbers for jitter and Idempotency-Keys (tests pass a fixed source). */
  random?: () => number;
  userAgent?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}

/** An answer that is not a success: the problem+json body, as the API sent it. */
export class VantageApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    const fields = problem.errors?.length ? ` (${problem.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})` : '';
    super(`${problem.code ?? status}: ${problem.detail ?? problem.title ?? 'request failed'}${fields}`);
    this.name = 'VantageApiError';
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

/** Statuses that say the same request may succeed later. */
const RETRYABLE = new Set([429, 502, 503, 504]);

/** Retry-After in seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function newIdempotencyKey(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `vsdk-${hex}`;
}

/**
 * A fetch that retries. A request whose method is not safe (POST, PATCH, DELETE) is retried only when it carries an
 * Idempotency-Key (every POST made by this client does) or when the server says it did nothing (429, 503).
 */
export function retryingFetch(opts: Required<Pick<VantageClientOptions, 'maxRetries' | 'maxRetryDelayMs' | 'retryBaseMs' | 'sleep' | 'random'>> & { fetch: typeof fetch }): typeof fetch {
  return async (input, init) => {
    const original = new Request(input, init);
    const method = original.method.toUpperCase();
    const repeatable = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].includes(method) || original.headers.has('idempotency-key');
    for (let attempt = 0; ; attempt++) {
      const request = original.clone();
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await opts.fetch(request);
      } catch (e) {
        failure = e;
      }
      const saidNothingDone = response?.status === 429 || response?.status === 503;
      const retry =
        attempt < opts.maxRetries &&
        (response ? RETRYABLE.has(response.status) && (repeatable || saidNothingDone) : repeatable && !original.signal?.aborted);
      if (!retry) {
        if (response) return response;
        throw failure;
      }
      const told = response ? retryAfterMs(response.headers.get('retry-after')) : undefined;
      const backoff = opts.retryBaseMs * 2 ** attempt * (0.5 + opts.random() / 2);
      await response?.body?.cancel().catch(() => undefined);
      await opts.sleep(Math.min(opts.maxRetryDelayMs, told ?? backoff));
    }
  };
}

export function createVantageClient(options: VantageClientOptions): VantageClient {
  const random = options.random ?? Math.random;
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: retryingFetch({
      fetch: options.fetch ?? globalThis.fetch,
      maxRetries: options.maxRetries ?? 3,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
      retryBaseMs: options.retryBaseMs ?? 500,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random,
    }),
  });
  const headers: Middleware = {
    onRequest({ request }) {
      if (options.apiKey) request.headers.set('authorization', `Bearer ${options.apiKey}`);
      if (options.userAgent) request.headers.set('user-agent', options.userAgent);
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', newIdempotencyKey(random));
      return request;
    },
  };
  client.use(headers);
  return client;
}

/** The value of an openapi-fetch result, or a VantageApiError carrying its problem. */
export async function unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }> | { data?: T; error?: unknown; response: Response }): Promise<T> {
  const { data, error, response } = await result;
  if (response.ok) return data as T;
  const problem = (error && typeof error === 'object' ? error : { detail: typeof error === 'string' ? error : undefined }) as Partial<Problem>;
  throw new VantageApiError(response.status, { status: response.status, ...problem });
}
