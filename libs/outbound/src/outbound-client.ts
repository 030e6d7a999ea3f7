// The one way a service calls a URL someone gave it: through the destination policy (judged before the request
// and again on every connection's resolved address), without following redirects, and reading at most
// OUTBOUND_MAX_RESPONSE_BYTES of any answer, streamed or not. Time is bounded by the caller's signal.
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, Dispatcher, errors, request } from 'undici';
import { DestinationPolicy } from './destination-policy';

export const OUTBOUND_OPTIONS = Symbol('OUTBOUND_OPTIONS');

export interface OutboundClientOptions {
  /** OUTBOUND_MAX_RESPONSE_BYTES: the most of an answer read; past it the answer is cut off. */
  maxResponseBytes: number;
  /** How long an idle connection to a destination is kept for the next call. */
  keepAliveTimeoutMs?: number;
}

/** A 3xx: Vantage does not follow redirects (the target was never judged, and it could be anywhere). */
export class RedirectRefusedError extends Error {
  constructor(readonly statusCode: number) {
    super(`answered ${statusCode}, a redirect, which Vantage does not follow`);
    this.name = 'RedirectRefusedError';
  }
}

export interface OutboundResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Fails with an error `isAnswerTooLarge` recognises once more than the cap has arrived. */
  body: Dispatcher.ResponseData['body'];
}

export interface OutboundRequest {
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** Parsed URLs kept at most: a cache, the policy does not change while the process runs. */
const TARGETS_CACHED = 10_000;

@Injectable()
export class OutboundClient implements OnApplicationShutdown {
  private readonly dispatcher: Agent;
  private readonly targets = new Map<string, URL>();

  constructor(
    readonly policy: DestinationPolicy,
    @Inject(OUTBOUND_OPTIONS) private readonly options: OutboundClientOptions,
  ) {
    // Connections are kept open between calls to a destination; each new one is looked up through the policy.
    // undici's own cap on the answer counts streamed bytes as they arrive and refuses a larger Content-Length at once.
    this.dispatcher = new Agent({
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
      maxResponseSize: options.maxResponseBytes,
      connect: { lookup: policy.connectLookup },
    });
  }

  get maxResponseBytes(): number {
    return this.options.maxResponseBytes;
  }

  /**
   * Throws DestinationRefusedError (before connecting) for a destination the policy refuses and
   * RedirectRefusedError for a 3xx (its body discarded); every other answer is the caller's to judge.
   */
  async request(raw: string, req: OutboundRequest): Promise<OutboundResponse> {
    const res = await request(this.target(raw), { method: req.method, headers: req.headers, body: req.body, signal: req.signal, dispatcher: this.dispatcher });
    if (res.statusCode >= 300 && res.statusCode < 400) {
      await discard(res);
      throw new RedirectRefusedError(res.statusCode);
    }
    return { statusCode: res.statusCode, headers: res.headers, body: res.body };
  }

  /** After every module has let its calls finish (the runner drains its trials in its onModuleDestroy). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    await this.dispatcher.destroy().catch(() => undefined);
  }

  private target(raw: string): URL {
    let url = this.targets.get(raw);
    if (!url) {
      url = this.policy.target(raw);
      if (this.targets.size >= TARGETS_CACHED) this.targets.clear();
      this.targets.set(raw, url);
    }
    return url;
  }
}

/** Lets go of an answer not needed: a little of it is read away so that the connection can serve the next call. */
export async function discard(response: Pick<OutboundResponse, 'body'>): Promise<void> {
  await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

/** Whether a request or its body failed because the answer was larger than OUTBOUND_MAX_RESPONSE_BYTES. */
export function isAnswerTooLarge(e: unknown): boolean {
  return e instanceof errors.ResponseExceededMaxSizeError || (e as { code?: string })?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE';
}
