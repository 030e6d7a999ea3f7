import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { loadConfig } from '@vantage/config';
import { OutboundServiceConfig } from '@vantage/outbound';

// Lab credentials are kept sealed at rest, and brokered access calls the labs' endpoints: hence the outbound configuration.
export class IntakeConfig extends OutboundServiceConfig {
  override PORT = 3000;

  /** The first operator key (vnt_<id>_<secret>); with it an operator creates organisations and their keys. */
  @IsOptional() @IsString() @MinLength(40, { message: 'must be a whole Vantage key (npm run admin -- new-key)' })
  VANTAGE_BOOTSTRAP_OPERATOR_KEY?: string = undefined;

  /** Requests per minute per API key, per gateway replica. */
  @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 600;

  /**
   * Requests per minute without a valid API key (none, or one that is unknown or revoked) from one client address,
   * per gateway replica. Past it the address gets 429 for at least a minute (until its failures of the last minute
   * are under the limit again), and the keys it presents cost no lookup unless remembered.
   */
  @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE = 60;

  /**
   * How long a verified API key is remembered (0: look every key up on every request). A revocation evicts it at
   * once on the replica that revoked it and, through Postgres NOTIFY, on every other replica within milliseconds;
   * a replica that has lost its notification connection looks every key up until it is back.
   */
  @IsInt() @Min(0) @Max(600_000)
  API_KEY_CACHE_TTL_MS = 60_000;

  /** Largest request body accepted. */
  @IsInt() @Min(1024) @Max(64 * 1024 * 1024)
  HTTP_BODY_LIMIT_BYTES = 1024 * 1024;

  /** How long the gateway waits for another service over request-reply before answering 504. */
  @IsInt() @Min(100) @Max(120_000)
  RPC_TIMEOUT_MS = 5000;

  /** How long brokered access waits for the lab's model to start answering before it answers 504. */
  @IsInt() @Min(100) @Max(600_000)
  BROKER_TIMEOUT_MS = 60_000;

  /** An idle live stream (`GET /v1/events`) sends a `: keep-alive` comment this often, so proxies keep it open. */
  @IsInt() @Min(50) @Max(60_000)
  EVENT_STREAM_HEARTBEAT_MS = 15_000;

  /**
   * The scoped NATS signing key (an account nkey seed, `SA…`) with which the gateway issues organisations their feed
   * users (`POST /v1/feeds/credentials`). It can sign feed readers only: the account's role for it decides their rights.
   * Unset, the gateway offers no feed credentials (503).
   */
  @IsOptional() @Matches(/^SA[A-Z2-7]{56}$/, { message: 'must be an account nkey seed (SA…), as npm run nats-auth -- init writes it' })
  VANTAGE_FEED_SIGNING_KEY?: string = undefined;

  /** The public key (`A…`) of the NATS account the feed users belong to. */
  @IsOptional() @Matches(/^A[A-Z2-7]{55}$/, { message: 'must be a NATS account public key (A…)' })
  VANTAGE_NATS_ACCOUNT?: string = undefined;

  /** How long feed credentials work. They cannot be revoked before, so keep this short. */
  @IsInt() @Min(1) @Max(24 * 30)
  FEED_CREDENTIAL_TTL_HOURS = 24;

  /** The NATS URL(s) organisations connect to for their feeds, told them with their credentials (comma-separated). */
  @IsOptional() @Matches(/^(nats|tls|wss?):\/\/\S+$/, { message: 'must be nats://, tls:// or wss:// URLs' })
  NATS_PUBLIC_URL?: string = undefined;

  /**
   * Streams one API key may hold open at once on a gateway replica (`GET /v1/events` and brokered completions with
   * `stream: true` together); one more is refused with 429.
   */
  @IsInt() @Min(1) @Max(10_000)
  MAX_STREAMS_PER_KEY = 10;

  /**
   * The gateway's public root as clients reach it (`https://api.vantage.gov.example`): the server the OpenAPI document
   * names, so that a generated client knows where to call. Unset, the document names the relative server `/`, which
   * means wherever the document was fetched from.
   */
  @IsOptional() @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'must be an http(s) URL without query or fragment, e.g. https://api.vantage.gov.example' })
  PUBLIC_BASE_URL?: string = undefined;

  /** Events the gateway asks the notifier for per read of a live stream. */
  @IsInt() @Min(1) @Max(1000)
  EVENT_STREAM_BATCH = 100;
}

export const loadIntakeConfig = (env: Record<string, string | undefined> = process.env, overrides: Partial<IntakeConfig> = {}) =>
  loadConfig(IntakeConfig, env, overrides);
