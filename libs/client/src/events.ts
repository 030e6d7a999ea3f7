// The live event stream (`GET /v1/events`, text/event-stream) as an async iterator that never loses its place: it
// reconnects after a dropped connection, a 503 or a 429 (after Retry-After, else the stream's own `retry:` advice,
// else a growing pause) and resumes with Last-Event-ID, so no event is missed or repeated. A refusal that a retry
// cannot fix (401, 403, 400) ends it with a VantageApiError.
import { createParser } from 'eventsource-parser';
import { retryAfterMs, VantageApiError } from './client';

export interface VantageEvent<T = unknown> {
  /** The stream's sequence of the event: pass it as `lastEventId` to resume after it. */
  id: string;
  /** The CloudEvent, as the producer made it (`type`, `subject`, `time`, `data`, …). */
  event: { id: string; type: string; subject?: string; time: string; source: string; data: T; [k: string]: unknown };
}

export interface EventStreamOptions {
  baseUrl: string;
  apiKey: string;
  /** Exact types or prefixes ending in `*` (default: every type the organisation may see). */
  types?: string[];
  /** Resume after this event. */
  lastEventId?: string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** The longest pause before reconnecting (default 30 s). */
  maxReconnectDelayMs?: number;
  /** Told of each reconnection and why (for a CLI's status line). */
  onReconnect?: (reason: string, delayMs: number) => void;
}

export async function* streamEvents<T = unknown>(options: EventStreamOptions): AsyncGenerator<VantageEvent<T>> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const cap = options.maxReconnectDelayMs ?? 30_000;
  let lastEventId = options.lastEventId;
  let advisedMs = 1000;
  let failures = 0;
  while (!options.signal?.aborted) {
    const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/v1/events`);
    if (options.types?.length) url.searchParams.set('types', options.types.join(','));
    let delay: number;
    let reason: string;
    try {
      const response = await doFetch(url, {
        headers: { authorization: `Bearer ${options.apiKey}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: options.signal,
      });
      if (!response.ok || !response.body) {
        const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
        if (response.status !== 429 && response.status < 500) throw new VantageApiError(response.status, { status: response.status, ...problem });
        reason = `${response.status} ${problem.code ?? ''}`.trim();
        delay = retryAfterMs(response.headers.get('retry-after')) ?? Math.min(cap, advisedMs * 2 ** failures);
      } else {
        failures = 0;
        const queue: VantageEvent<T>[] = [];
        const parser = createParser({
          onEvent: (e) => {
            if (e.id) lastEventId = e.id;
            queue.push({ id: e.id ?? '', event: JSON.parse(e.data) });
          },
          onRetry: (ms) => {
            advisedMs = ms;
          },
        });
        const decoder = new TextDecoder();
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          parser.feed(decoder.decode(chunk, { stream: true }));
          while (queue.length) yield queue.shift()!;
        }
        reason = 'the stream ended';
        delay = advisedMs;
      }
    } catch (e) {
      if (e instanceof VantageApiError || options.signal?.aborted) throw e;
      reason = (e as Error).message;
      delay = Math.min(cap, advisedMs * 2 ** failures);
    }
    failures++;
    options.onReconnect?.(reason, delay);
    await sleep(delay);
  }
}
