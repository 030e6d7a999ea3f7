// One webhook request per Standard Webhooks: `webhook-id` (the event id, the same on every retry),
// `webhook-timestamp` and `webhook-signature` (`v1,<HMAC-SHA256>`, one per live secret, space-separated),
// and the CloudEvent as `application/cloudevents+json`. Redirects are not followed: 3xx is a failure.
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent as HttpAgent, ClientRequest, request as httpRequest, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';
import { Clock } from '@vantage/clock';
import { SERVICE_CONFIG } from '@vantage/runtime';
import type { NotifierConfig } from '../config';
import { DestinationNotAllowedError, DestinationPolicy } from '../subscriptions/destination-policy';
import { SigningSecrets } from '../subscriptions/signing-secrets';

export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  /** Attempts made before this claim. */
  attemptCount: number;
  body: string;
  url: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
}

export interface AttemptOutcome {
  at: Date;
  statusCode?: number;
  latencyMs: number;
  /** Why the attempt failed, in words safe to show the subscriber (never a secret). */
  error?: string;
  retryAfter?: string;
  /** Cut off by shutdown: not an attempt the endpoint failed, and not recorded. */
  abandoned?: true;
}

class RequestAbandoned extends Error {}

/** Opened secrets (and parsed URLs) kept at most: a cache, not a second store. */
const SIGNERS_CACHED = 10_000;

@Injectable()
export class WebhookSender implements OnModuleDestroy {
  // Connections to an endpoint are kept open between its deliveries (a lane never has more than its width in
  // flight, so it never has more sockets). A kept connection was checked by guardedLookup when it was made.
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true, keepAliveMsecs: 1000, scheduling: 'lifo' }),
    https: new HttpsAgent({ keepAlive: true, keepAliveMsecs: 1000, scheduling: 'lifo' }),
  };
  /** Opening a sealed secret and decoding its key per request costs more than the signature: kept per sealed value. */
  private readonly signers = new Map<string, Webhook>();
  private readonly inFlight = new Set<ClientRequest>();
  /** Each subscription URL parsed and its IP literal judged once: neither the URL nor the policy changes. */
  private readonly destinations = new Map<string, URL>();
  private closing = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
    private readonly clock: Clock,
    private readonly policy: DestinationPolicy,
    private readonly secrets: SigningSecrets,
  ) {}

  /** Cuts off the requests in flight and refuses new ones: their outcomes are `abandoned`. */
  abandonAll(): void {
    this.closing = true;
    for (const req of this.inFlight) req.destroy(new RequestAbandoned('shutting down'));
  }

  onModuleDestroy(): void {
    this.abandonAll();
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.signers.clear();
  }

  /** Never throws: every way an attempt can end is an outcome to record. */
  async send(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const at = this.clock.now();
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      const url = this.destination(delivery.url);
      const headers = {
        'content-type': 'application/cloudevents+json',
        'user-agent': 'Vantage-Webhooks/1',
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': this.signatures(delivery, at),
      };
      if (this.closing) throw new RequestAbandoned('shutting down');
      const res = await this.post(url, headers, delivery.body);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return {
        at,
        statusCode: res.statusCode,
        latencyMs: latency(),
        ...(ok ? {} : { error: `endpoint answered ${res.statusCode}` }),
        ...(res.retryAfter ? { retryAfter: res.retryAfter } : {}),
      };
    } catch (e) {
      if (e instanceof RequestAbandoned) return { at, latencyMs: latency(), abandoned: true };
      const error = e instanceof DestinationNotAllowedError ? e.message : `request failed: ${(e as Error).message}`;
      return { at, latencyMs: latency(), error: error.slice(0, 500) };
    }
  }

  private destination(raw: string): URL {
    let url = this.destinations.get(raw);
    if (!url) {
      url = this.policy.parseUrl(raw);
      this.policy.assertHost(url);
      if (this.destinations.size >= SIGNERS_CACHED) this.destinations.clear();
      this.destinations.set(raw, url);
    }
    return url;
  }

  /** During a rotation both the new and the previous secret sign, so a subscriber may switch at any time. */
  private signatures(delivery: ClaimedDelivery, at: Date): string {
    const sealed = [delivery.secretSealed];
    if (delivery.previousSecretSealed && delivery.previousSecretExpiresAt && delivery.previousSecretExpiresAt.getTime() > at.getTime()) {
      sealed.push(delivery.previousSecretSealed);
    }
    return sealed.map((s) => this.signer(delivery.subscriptionId, s).sign(delivery.eventId, at, delivery.body)).join(' ');
  }

  private signer(subscriptionId: string, sealed: string): Webhook {
    // The sealed value binds the subscription id in (SecretBox context), so the pair is the key.
    const key = `${subscriptionId}/${sealed}`;
    let signer = this.signers.get(key);
    if (!signer) {
      if (this.signers.size >= SIGNERS_CACHED) this.signers.clear();
      signer = new Webhook(this.secrets.open(subscriptionId, sealed));
      this.signers.set(key, signer);
    }
    return signer;
  }

  private post(url: URL, headers: Record<string, string>, body: string): Promise<{ statusCode: number; retryAfter?: string }> {
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return new Promise((resolve, reject) => {
      const req = send(url, {
        method: 'POST',
        agent: https ? this.agents.https : this.agents.http,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: this.policy.guardedLookup(host) as any,
      });
      this.inFlight.add(req);
      req.once('close', () => this.inFlight.delete(req));
      // The whole exchange, connection included, must answer within the timeout; the network's time, not the clock's.
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.config.WEBHOOK_TIMEOUT_MS} ms`)), this.config.WEBHOOK_TIMEOUT_MS);
      req.on('response', (res: IncomingMessage) => {
        clearTimeout(timer);
        const retryAfter = res.headers['retry-after'];
        // The answer's body is not needed; read it away so the connection is released.
        res.resume();
        res.on('error', () => undefined);
        resolve({ statusCode: res.statusCode ?? 0, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) });
      });
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(body);
    });
  }
}
