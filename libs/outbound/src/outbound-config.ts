// The outbound settings, one set for every service that calls URLs it was given (intake's broker, the benchmark
// runner, the notifier's webhooks): their config classes extend this one.
import { IsInt, IsString, Max, Min, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { SecretsServiceConfig } from '@vantage/config';
import { parseAllowedHosts } from './allowed-hosts';

@ValidatorConstraint({ name: 'allowedHosts' })
export class AllowedHostsConstraint implements ValidatorConstraintInterface {
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

export class OutboundServiceConfig extends SecretsServiceConfig {
  /**
   * Host names, IP addresses or CIDRs (comma list) that may be called over plain http and at private, loopback or
   * link-local addresses. For development only: empty in production; `npm start` admits 127.0.0.1, localhost, ::1.
   */
  @IsString() @Validate(AllowedHostsConstraint)
  OUTBOUND_ALLOWED_HOSTS = '';

  /** The most of any answer read from an outbound call (a model's answer, streamed or not); a larger one is cut off. */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024)
  OUTBOUND_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
}
