// Rate limits requests that fail to authenticate, per client address (per gateway replica): they carry no key whose
// own limit could count them, and each bogus key would otherwise cost a lookup. Past the limit an address gets 429 for
// at least a minute (then until its failures over the last sliding minute are under the limit), before any key it
// presents is looked up; a key the gateway remembers as valid still passes, since it costs no lookup. The address is the connection's: behind a proxy that does not
// keep it, every client is that proxy's address, and one client's failures would hold back the others.
import { Inject, Injectable } from '@nestjs/common';
import { FailedAuthLimit } from '@vantage/auth';
import { Clock } from '@vantage/clock';
import { RateLimitedError } from '@vantage/contracts';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';
import { SlidingWindowRateStorage } from './sliding-window-rate-storage';

const WINDOW_MS = 60_000;

@Injectable()
export class FailedAuthLimiter extends FailedAuthLimit {
  private readonly counts: SlidingWindowRateStorage;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
    clock: Clock,
  ) {
    super();
    this.counts = new SlidingWindowRateStorage(clock);
  }

  admit(client: string): void {
    const blockedMs = this.counts.blockedForMs(client);
    if (blockedMs > 0) throw refusal(blockedMs / 1000);
  }

  failed(client: string): void {
    const counted = this.counts.count(client, WINDOW_MS, this.config.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE, WINDOW_MS);
    if (counted.isBlocked) throw refusal(counted.timeToBlockExpire);
  }
}

function refusal(retryAfterSeconds: number): RateLimitedError {
  return new RateLimitedError(
    'rate_limited',
    'too many requests without a valid API key from your address; wait before trying again (Authorization: Bearer <key>)',
    retryAfterSeconds,
  );
}
