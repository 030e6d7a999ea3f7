// Settings every Vantage service shares. A service's own config class extends this one.
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

/** What a service's migrations need, and nothing else: `main.ts migrate` runs with these alone. */
export class DatabaseConfig {
  /** Postgres connection of this service (its own role; it may touch only its own schema). */
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/vantage';

  @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_SIZE = 10;
}

export class ServiceConfig extends DatabaseConfig {
  @Matches(/^(nats|tls):\/\/[^,\s]+(,\s*(nats|tls):\/\/[^,\s]+)*$/, { message: 'must be nats:// or tls:// URLs (comma-separate several servers)' })
  NATS_URL = 'nats://127.0.0.1:4222';

  /**
   * The service's NATS credentials: a `.creds` file (its user's JWT and seed), made by `npm run nats-auth` (or by
   * `npm start` into .vantage/nats/). Every connection authenticates; the user may touch only the subjects of
   * libs/messaging's bus-rights.ts.
   */
  @IsString() @MinLength(1, { message: "must name this service's NATS .creds file (npm run nats-auth -- init makes them)" })
  NATS_CREDS_FILE = '';

  /** A PEM CA bundle the NATS servers' certificates must chain to; set, the connection requires TLS. */
  @IsOptional() @IsString() @MinLength(1)
  NATS_TLS_CA_FILE?: string = undefined;

  /**
   * This service's identity: a 32-byte seed, base64url (`npm run admin -- new-service-keys`). It signs the requests
   * the service sends and opens the secrets other services seal to it.
   */
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'must be a 32-byte seed, base64url (npm run admin -- new-service-keys)' })
  VANTAGE_IDENTITY_KEY = '';

  /**
   * Every service's public keys, `<service>:<signing key>.<sealing key>` comma-separated: whom to believe on
   * request-reply, and to whom secrets can be sealed. Public; the same value for every service.
   */
  @Matches(/^[a-z][a-z0-9-]*:[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}(,\s*[a-z][a-z0-9-]*:[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43})*$/, {
    message: 'must list "<service>:<signing key>.<sealing key>" entries, comma-separated (npm run admin -- new-service-keys)',
  })
  VANTAGE_SERVICE_KEYS = '';

  /** Prefix of every subject (`<prefix>.intake.submission.received`) and stream (`<PREFIX>_INTAKE`). */
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'must be lowercase letters, digits, _ or -, starting with a letter' })
  VANTAGE_NATS_PREFIX = 'vantage';

  @IsInt() @Min(1) @Max(5)
  NATS_STREAM_REPLICAS = 1;

  @IsIn(['file', 'memory'])
  NATS_STREAM_STORAGE: 'file' | 'memory' = 'file';

  /** How long a stream keeps events (days); replay and resume reach back this far. */
  @IsInt() @Min(1)
  NATS_STREAM_MAX_AGE_DAYS = 90;

  /** The window in which JetStream drops a republished event with the same id. */
  @IsInt() @Min(1000)
  NATS_DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

  /** Deliveries of one event before it goes to the dead-letter subject. */
  @IsInt() @Min(1) @Max(100)
  VANTAGE_MAX_DELIVER = 5;

  /** Redelivery delay after a transient failure: base × 2^(attempt−1), capped at 30 s. */
  @IsInt() @Min(1)
  VANTAGE_RETRY_BASE_MS = 500;

  @IsInt() @Min(1000)
  VANTAGE_ACK_WAIT_MS = 30_000;

  @IsInt() @Min(1) @Max(1000)
  VANTAGE_CONSUMER_BATCH = 100;

  @IsBoolean()
  OUTBOX_RELAY_ENABLED = true;

  @IsInt() @Min(1) @Max(5000)
  OUTBOX_BATCH_SIZE = 500;

  /** Fallback poll of the outbox; commits normally wake the relay at once (LISTEN/NOTIFY). */
  @IsInt() @Min(5)
  OUTBOX_POLL_MS = 200;

  /** After a commit wakes the relay, it waits this long so that a burst goes out as one batch. */
  @IsInt() @Min(0) @Max(1000)
  OUTBOX_COALESCE_MS = 5;

  /** How long published outbox rows are kept (to look into) before the active relay deletes them; 0 deletes them at once. */
  @IsNumber() @Min(0)
  OUTBOX_RETENTION_HOURS = 24;

  /**
   * How long an Idempotency-Key's first answer is replayed (hours). After that the key is new again, and its stored
   * answer is deleted.
   */
  @IsInt() @Min(1) @Max(24 * 30)
  IDEMPOTENCY_KEY_TTL_HOURS = 24;

  @IsString() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * Where spans go (OpenTelemetry, OTLP over HTTP, e.g. `http://collector:4318/v1/traces`). Unset (the default),
   * tracing is off: trace ids are still made and carried in logs and events, nothing is recorded or sent.
   */
  @IsOptional() @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL of an OTLP/HTTP traces endpoint' })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string = undefined;

  /**
   * For end-to-end tests only: the service's clock can be moved forward over NATS
   * (`<prefix>.test.clock.<service>`), so a test of separate processes reaches deadlines without waiting.
   * Refused (the service does not start) unless NODE_ENV is `test`.
   */
  @IsBoolean()
  VANTAGE_TEST_CLOCK = false;

  @IsString()
  HOST = '0.0.0.0';

  @IsInt() @Min(0) @Max(65535)
  PORT = 3000;
}

/** A service that keeps secrets at rest (credentials, classified items, proofs of concept, webhook secrets). */
export class SecretsServiceConfig extends ServiceConfig {
  /**
   * AES-256-GCM keys, `id:base64(32 bytes)`, comma-separated; the first seals new secrets, the others still
   * open old ones (rotation). Generate one with `npm run admin -- new-encryption-key`.
   */
  @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'must be one or more "id:base64key" entries of 32-byte keys, comma-separated',
  })
  VANTAGE_ENCRYPTION_KEYS = '';
}

/**
 * Values that pass the validation of the settings every service must be given (NATS credentials, identity), for a
 * configuration that connects nothing: the gateway built in Nest's preview mode to write its OpenAPI document, and
 * unit tests. A service started with them cannot reach NATS.
 */
export const PLACEHOLDER_BUS_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  NATS_CREDS_FILE: '/dev/null',
  VANTAGE_IDENTITY_KEY: 'A'.repeat(43),
  VANTAGE_SERVICE_KEYS: `intake:${'A'.repeat(43)}.${'A'.repeat(43)}`,
});
