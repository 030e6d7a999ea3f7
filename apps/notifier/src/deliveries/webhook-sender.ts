// One webhook request per Standard Webhooks: `webhook-id` (the event id, the same on every retry),
// `webhook-timestamp` and `webhook-signature` (`v1,<HMAC-SHA256>`, one per live secret, space-separated),
// and the CloudEvent as `application/cloudevents+json`. Redirects are not followed: 3xx is a failure.
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { Clock } from '@vantage/clock';
import { DestinationRefusedError, discard, OutboundClient, RedirectRefusedError } from '@vantage/outbound';
import { SERVICE_CONFIG } from '@vantage/runtime';
import type { NotifierConfig } from '../config';
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

/** Opened secrets kept at most: a cache, not a second store. */
const SIGNERS_CACHED = 10_000;

@Injectable()
export class WebhookSender implements OnModuleDestroy {
  /** Opening a sealed secret and decoding its key per request costs more than the signature: kept per sealed value. */
  private readonly signers = new Map<string, Webhook>();
  private readonly inFlight = new Set<AbortController>();
  private closing = false;

  // Through the one outbound client, as the broker and the runner call models: connections to an endpoint are kept open
  // between its deliveries (a lane never has more than its width in flight, so it never has more sockets), and every
  // new connection's address is judged by the destination policy as it is looked up, so a host whose DNS answer
  // changed since creation is still refused.
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
    private readonly clock: Clock,
    private readonly outbound: OutboundClient,
    private readonly secrets: SigningSecrets,
  ) {}

  /** Cuts off the requests in flight and refuses new ones: their outcomes are `abandoned`. */
  abandonAll(): void {
    this.closing = true;
    for (const controller of this.inFlight) controller.abort(new RequestAbandoned('shutting down'));
  }

  onModuleDestroy(): void {
    this.abandonAll();
    this.signers.clear();
  }

  /** Never throws: every way an attempt can end is an outcome to record. */
  async send(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const at = this.clock.now();
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      const headers = {
        'content-type': 'application/cloudevents+json',
        'user-agent': 'Vantage-Webhooks/1',
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': this.signatures(delivery, at),
      };
      if (this.closing) throw new RequestAbandoned('shutting down');
      const res = await this.post(delivery.url, headers, delivery.body);
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
      // Not followed: the endpoint's answer, and a failed attempt.
      if (e instanceof RedirectRefusedError) return { at, statusCode: e.statusCode, latencyMs: latency(), error: `endpoint answered ${e.statusCode}` };
      const error = e instanceof DestinationRefusedError ? e.message : `request failed: ${(e as Error).message}`;
      return { at, latencyMs: latency(), error: error.slice(0, 500) };
    }
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

  private async post(url: string, headers: Record<string, string>, body: string): Promise<{ statusCode: number; retryAfter?: string }> {
    const controller = new AbortController();
    // The whole exchange, connection included, must answer within the timeout; the network's time, not the clock's.
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${this.config.WEBHOOK_TIMEOUT_MS} ms`)), this.config.WEBHOOK_TIMEOUT_MS);
    this.inFlight.add(controller);
    try {
      const res = await this.outbound.request(url, { method: 'POST', headers, body, signal: controller.signal });
      const retryAfter = res.headers['retry-after'];
      // The answer's body is not needed; read it away so the connection is released.
      await discard(res);
      return { statusCode: res.statusCode, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) };
    } catch (e) {
      // An aborted request fails with whatever aborted it: shutting down, or the timeout.
      throw controller.signal.aborted ? controller.signal.reason : e;
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }
}
