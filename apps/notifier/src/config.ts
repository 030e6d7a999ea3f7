import { IsInt, IsString, Max, Min, Validate } from 'class-validator';
import { loadConfig } from '@vantage/config';
import { AllowedHostsConstraint, OutboundModuleOptions, outboundOptions, OutboundServiceConfig } from '@vantage/outbound';

// Webhook secrets are kept sealed at rest, and webhooks are outbound calls: hence the outbound configuration.
export class NotifierConfig extends OutboundServiceConfig {
  override PORT = 3004;

  /**
   * Deprecated: the notifier's name for OUTBOUND_ALLOWED_HOSTS from before every outbound call shared one policy.
   * Its hosts are still admitted (added to OUTBOUND_ALLOWED_HOSTS), with a warning at start.
   */
  @IsString() @Validate(AllowedHostsConstraint)
  WEBHOOK_ALLOWED_HOSTS = '';

  /** A webhook request that has not answered 2xx in this time has failed. */
  @IsInt() @Min(100) @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 15_000;

  /** Requests in flight to one endpoint at once: a slow endpoint holds only its own lane. */
  @IsInt() @Min(1) @Max(64)
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT = 4;

  /** How often due deliveries are looked for (a test clock's move also wakes the worker at once). */
  @IsInt() @Min(10) @Max(60_000)
  WEBHOOK_POLL_MS = 500;

  /** How long a claimed delivery stays claimed; a replica that dies releases its claims when they lapse. */
  @IsInt() @Min(1_000)
  WEBHOOK_CLAIM_LEASE_MS = 60_000;

  /** Events one replay request looks at; with more, its answer has a `nextCursor` to go on from. */
  @IsInt() @Min(1) @Max(100_000)
  REPLAY_MAX_EVENTS = 10_000;

  /** Webhook subscriptions an organisation may hold (active and disabled); one more is refused with 422. */
  @IsInt() @Min(1) @Max(10_000)
  MAX_SUBSCRIPTIONS_PER_ORG = 100;
}

/** The outbound settings, with the deprecated WEBHOOK_ALLOWED_HOSTS added to the allow-list. */
export function notifierOutboundOptions(config: NotifierConfig): OutboundModuleOptions {
  const options = outboundOptions(config);
  return { ...options, allowedHosts: [options.allowedHosts, config.WEBHOOK_ALLOWED_HOSTS].filter(Boolean).join(','), keepAliveTimeoutMs: 4_000 };
}

export const loadNotifierConfig = (env: Record<string, string | undefined> = process.env, overrides: Partial<NotifierConfig> = {}) =>
  loadConfig(NotifierConfig, env, overrides);
