// An organisation's NATS user for reading its own feed (`<prefix>.feed.<orgId>.>` in the `<PREFIX>_FEED` stream),
// issued at run time: a user JWT signed with the account's scoped feed signer, whose role alone decides its rights
// (libs/messaging nats-auth.ts), so nothing in the NATS server's configuration changes when an organisation joins.
// The credentials expire (FEED_CREDENTIAL_TTL_HOURS); Vantage keeps no copy, and an organisation asks again for new
// ones. Revoking them before they expire is not offered: expiry is the bound, so keep it short. Their expiry is on
// the wall clock, not the gateway's domain clock: the NATS server checks it against its own.
import { Inject, Injectable } from '@nestjs/common';
import { SystemClock } from '@vantage/clock';
import { CallerIdentity, DomainError } from '@vantage/contracts';
import { feedStreamName, issueFeedCredentials } from '@vantage/messaging';
import { SERVICE_CONFIG, UseCase } from '@vantage/runtime';
import { IntakeConfig } from '../config';
import { FeedCredentialsView } from './dto/feed-credentials.dto';

export class FeedsNotConfiguredError extends DomainError {
  constructor() {
    super('feeds_not_configured', 503, 'NATS feeds are not offered here: the gateway has no feed signing key (VANTAGE_FEED_SIGNING_KEY)');
  }
}

export interface IssueFeedCredentialsCommand {
  caller: CallerIdentity;
  consumers?: string[];
}

/** Nothing is stored (Vantage keeps no copy), so it takes no transaction. */
@Injectable()
export class IssueFeedCredentialsUseCase implements UseCase<IssueFeedCredentialsCommand, FeedCredentialsView> {
  private readonly wallClock = new SystemClock();

  constructor(@Inject(SERVICE_CONFIG) private readonly config: IntakeConfig) {}

  async execute(command: IssueFeedCredentialsCommand): Promise<FeedCredentialsView> {
    const c = this.config;
    if (!c.VANTAGE_FEED_SIGNING_KEY || !c.VANTAGE_NATS_ACCOUNT) throw new FeedsNotConfiguredError();
    const orgId = command.caller.orgId;
    const issued = await issueFeedCredentials(
      { feedSignerSeed: c.VANTAGE_FEED_SIGNING_KEY, accountPublicKey: c.VANTAGE_NATS_ACCOUNT },
      orgId,
      { consumers: command.consumers, expiresAt: new Date(this.wallClock.now().getTime() + c.FEED_CREDENTIAL_TTL_HOURS * 3_600_000) },
    );
    const prefix = c.VANTAGE_NATS_PREFIX;
    return {
      user: issued.user,
      creds: issued.creds,
      inboxPrefix: issued.inboxPrefix,
      stream: feedStreamName(prefix),
      filterSubject: `${prefix}.feed.${orgId}.>`,
      consumers: issued.consumers,
      expiresAt: issued.expiresAt.toISOString(),
      ...(c.NATS_PUBLIC_URL ? { servers: c.NATS_PUBLIC_URL.split(',').map((s) => s.trim()) } : {}),
    };
  }
}
