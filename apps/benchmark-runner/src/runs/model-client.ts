// Asks an OpenAI-compatible chat-completions endpoint one question, the way a careful client does: a slot
// from the endpoint's adaptive limiter, a deadline per request, retries with exponential backoff and full
// jitter (honouring Retry-After), and a hard cap on attempts. It never throws for the model's failures: the
// caller gets an answer or `errored`, so no item is silently wrong or dropped. Every call goes through the
// outbound client: the destination policy, no redirects, and at most OUTBOUND_MAX_RESPONSE_BYTES of an answer.
import { DestinationRefusedError, isAnswerTooLarge, OutboundClient, RedirectRefusedError } from '@vantage/outbound';
import { AdaptiveLimiter } from './adaptive-limiter';

export interface ModelEndpoint {
  baseUrl: string;
  modelId: string;
  apiKey: string;
}

export interface ModelClientSettings {
  maxAttempts: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Longest Retry-After honoured; a longer one is cut to this (the run has a window to finish in). */
  retryAfterMaxMs: number;
  minConcurrency: number;
  maxConcurrency: number;
  initialConcurrency: number;
}

export type AskResult = { kind: 'answer'; content: string; attempts: number } | { kind: 'errored'; reason: string; attempts: number };

export class RunAbortedError extends Error {
  constructor(reason: string) {
    super(`run aborted: ${reason}`);
    this.name = 'RunAbortedError';
  }
}

export class ModelClient {
  private readonly limiters = new Map<string, AdaptiveLimiter>();

  // The outbound client keeps connections alive per endpoint; the limiter, not its pool, bounds how many calls are out.
  constructor(
    private readonly outbound: OutboundClient,
    private readonly settings: ModelClientSettings,
    private readonly random: () => number = Math.random,
  ) {}

  limiterFor(baseUrl: string): AdaptiveLimiter {
    let limiter = this.limiters.get(baseUrl);
    if (!limiter) {
      const s = this.settings;
      limiter = new AdaptiveLimiter(s.minConcurrency, s.maxConcurrency, s.initialConcurrency);
      this.limiters.set(baseUrl, limiter);
    }
    return limiter;
  }

  /** Throws RunAbortedError only when `signal` aborts; every failure of the model is an `errored` result. */
  async ask(endpoint: ModelEndpoint, prompt: string, signal: AbortSignal): Promise<AskResult> {
    const limiter = this.limiterFor(endpoint.baseUrl);
    let lastReason = 'no attempt was made';
    for (let attempt = 1; attempt <= this.settings.maxAttempts; attempt++) {
      await limiter.acquire(signal).catch(() => {
        throw new RunAbortedError(String(signal.reason ?? 'aborted'));
      });
      // Checked again after the wait for a slot: no call starts once the run is aborted.
      if (signal.aborted) {
        limiter.release('failed');
        throw new RunAbortedError(String(signal.reason ?? 'aborted'));
      }
      const outcome = await this.once(endpoint, prompt, signal);
      limiter.release(outcome.kind === 'ok' ? 'ok' : outcome.kind === 'throttled' ? 'throttled' : 'failed');
      if (signal.aborted) throw new RunAbortedError(String(signal.reason ?? 'aborted'));
      if (outcome.kind === 'ok') return { kind: 'answer', content: outcome.content, attempts: attempt };
      lastReason = outcome.reason;
      if (outcome.kind === 'fatal' || attempt === this.settings.maxAttempts) return { kind: 'errored', reason: lastReason, attempts: attempt };
      await this.pause(this.backoffMs(attempt, outcome.retryAfterMs), signal);
    }
    return { kind: 'errored', reason: lastReason, attempts: this.settings.maxAttempts };
  }

  /** Full jitter on an exponential ceiling; a Retry-After from the lab is a floor. */
  backoffMs(attempt: number, retryAfterMs?: number): number {
    const s = this.settings;
    const ceiling = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** (attempt - 1));
    const jittered = this.random() * ceiling;
    return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, s.retryAfterMaxMs));
  }

  private async once(
    endpoint: ModelEndpoint,
    prompt: string,
    signal: AbortSignal,
  ): Promise<{ kind: 'ok'; content: string } | { kind: 'throttled' | 'retryable' | 'fatal'; reason: string; retryAfterMs?: number }> {
    // One controller per call, cut by the run's signal or the deadline. (AbortSignal.any and fetch's web streams
    // cost several times the CPU of the call itself at hundreds of calls a second.)
    const call = new AbortController();
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      call.abort();
    }, this.settings.timeoutMs);
    const cut = () => call.abort();
    signal.addEventListener('abort', cut, { once: true });
    try {
      const res = await this.outbound.request(`${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${endpoint.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: endpoint.modelId, messages: [{ role: 'user', content: prompt }], temperature: 0 }),
        signal: call.signal,
      });
      const text = await res.body.text();
      const after = () => retryAfter(headerValue(res.headers['retry-after']));
      if (res.statusCode === 429) return { kind: 'throttled', reason: 'HTTP 429', retryAfterMs: after() };
      if (res.statusCode >= 500 || res.statusCode === 408) return { kind: 'retryable', reason: `HTTP ${res.statusCode}`, retryAfterMs: after() };
      // Other 4xx (bad key, unknown model, refused request) will not get better by asking again.
      if (res.statusCode < 200 || res.statusCode >= 300) return { kind: 'fatal', reason: `HTTP ${res.statusCode}` };
      let content: unknown;
      try {
        content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
      } catch {
        return { kind: 'retryable', reason: 'answer is not JSON' };
      }
      if (typeof content !== 'string') return { kind: 'retryable', reason: 'answer without message content' };
      return { kind: 'ok', content };
    } catch (e) {
      if (signal.aborted) return { kind: 'retryable', reason: 'aborted' };
      // None of these gets better by asking again: the endpoint is refused, redirects, or answers past the cap.
      if (e instanceof DestinationRefusedError) return { kind: 'fatal', reason: `endpoint refused: it ${e.reason}` };
      if (e instanceof RedirectRefusedError) return { kind: 'fatal', reason: `HTTP ${e.statusCode}: a redirect, not followed` };
      if (isAnswerTooLarge(e)) return { kind: 'fatal', reason: `answer larger than ${this.outbound.maxResponseBytes} bytes` };
      if (timedOut) return { kind: 'retryable', reason: `no answer within ${this.settings.timeoutMs} ms` };
      // Never the error's text: a network error can quote the URL, and some labs put keys in URLs.
      return { kind: 'retryable', reason: `network error (${(e as { code?: string; name?: string }).code ?? (e as { name?: string }).name ?? 'Error'})` };
    } finally {
      clearTimeout(deadline);
      signal.removeEventListener('abort', cut);
    }
  }

  private pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
