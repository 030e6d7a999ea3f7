import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { loadConfig } from '@vantage/config';
import { OutboundServiceConfig } from '@vantage/outbound';

// Suite items are kept sealed at rest, and runs call the labs' endpoints: hence the outbound configuration.
export class BenchmarkRunnerConfig extends OutboundServiceConfig {
  override PORT = 3002;

  /** Declared training compute at or above which a model is frontier whatever it scores (policy default). */
  @IsNumber() @Min(0)
  FRONTIER_COMPUTE_THRESHOLD_FLOP = 1e26;

  /** Attempts per trial before it is recorded `errored`. */
  @IsInt() @Min(1) @Max(20)
  MODEL_MAX_ATTEMPTS = 4;

  @IsInt() @Min(100) @Max(600_000)
  MODEL_TIMEOUT_MS = 60_000;

  @IsInt() @Min(1) @Max(60_000)
  MODEL_RETRY_BASE_MS = 500;

  @IsInt() @Min(1) @Max(600_000)
  MODEL_RETRY_MAX_MS = 30_000;

  /** A longer Retry-After is cut to this: the run has a window to finish in. */
  @IsInt() @Min(0) @Max(600_000)
  MODEL_RETRY_AFTER_MAX_MS = 60_000;

  @IsInt() @Min(1) @Max(256)
  MODEL_MIN_CONCURRENCY = 1;

  @IsInt() @Min(1) @Max(256)
  MODEL_MAX_CONCURRENCY = 16;

  /**
   * Where the adaptive limit starts; unset, at MODEL_MAX_CONCURRENCY, the concurrency the operator judged the
   * endpoint can take (as Inspect's max_connections): the first 429 halves it. Set it lower for a slow start.
   */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(256)
  MODEL_INITIAL_CONCURRENCY?: number = undefined;

  /** How often runs to do (new or left by a stopped runner) are looked for. */
  @IsInt() @Min(10) @Max(60_000)
  RUN_POLL_MS = 1000;

  /** `bench.run.progress` is published at most this often per run. */
  @IsInt() @Min(100) @Max(600_000)
  RUN_PROGRESS_INTERVAL_MS = 3000;

  /** A run's lease: another replica takes a run over if its runner stops renewing for this long. */
  @IsInt() @Min(1000) @Max(600_000)
  RUN_LEASE_MS = 30_000;
}

export const loadBenchmarkRunnerConfig = (env: Record<string, string | undefined> = process.env, overrides: Partial<BenchmarkRunnerConfig> = {}) =>
  loadConfig(BenchmarkRunnerConfig, env, overrides);
