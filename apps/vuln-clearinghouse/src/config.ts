import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { loadConfig, SecretsServiceConfig } from '@vantage/config';

export class VulnClearinghouseConfig extends SecretsServiceConfig {
  override PORT = 3003;

  /** How often embargo timers are looked for (they also fire at once when a test clock moves). */
  @IsInt() @Min(10) @Max(60_000)
  TIMER_POLL_MS = 1000;

  /** The publisher named in CSAF advisories. */
  @IsString() @Length(1, 200)
  ADVISORY_PUBLISHER_NAME = 'Vantage AI Cybersecurity Clearinghouse';

  @IsString() @Length(1, 300)
  ADVISORY_PUBLISHER_NAMESPACE = 'https://vantage.gov.example';

  /** The CNA named in CVE JSON 5 records. */
  @IsString() @Length(1, 32)
  ADVISORY_CNA_SHORT_NAME = 'vantage';

  @IsString() @Length(36, 36)
  ADVISORY_CNA_ORG_ID = '00000000-0000-4000-8000-000000000000';
}

export const loadVulnClearinghouseConfig = (env: Record<string, string | undefined> = process.env, overrides: Partial<VulnClearinghouseConfig> = {}) =>
  loadConfig(VulnClearinghouseConfig, env, overrides);
