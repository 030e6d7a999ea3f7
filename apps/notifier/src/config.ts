import { IsInt, IsString, Max, Min, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { loadConfig, SecretsServiceConfig } from '@vantage/config';
import { parseAllowedHosts } from './subscriptions/destination-policy';

@ValidatorConstraint({ name: 'allowedHosts' })
class AllowedHostsConstraint implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown): boolean {
    try {
      parseAllowedHosts(String(value));
      return true;
    } catch (e) {
      this.problem = (e as Error).message;
      return false;
    }
  }

  defaultMessage(): string {
    return this.problem || 'must be a comma list of host names, IP addresses or CIDRs';
  }
}

// Webhook secrets are kept sealed at rest, hence the secrets configuration.
export class NotifierConfig extends SecretsServiceConfig {
  override PORT = 3004;

  /**
   * Hosts, IP addresses or CIDRs (comma list) that webhooks may reach although they are private, loopback or
   * link-local. Empty in production; local runs and tests admit 127.0.0.1 and localhost.
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

export const loadNotifierConfig = (env: Record<string, string | undefined> = process.env, overrides: Partial<NotifierConfig> = {}) =>
  loadConfig(NotifierConfig, env, overrides);
