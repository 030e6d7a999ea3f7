// Settings for running the simulator as a process (`npm start`'s demo lab, or by hand). Tests build one
// in-process with createLabSimulator instead, and never read the environment.
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { loadConfig } from '@vantage/config';
import { LabSimulatorOptions } from './simulator';

// A comma list of names: the lists travel as single env variables.
const COMMA_LIST = /^\s*[^,\s][^,]*(,\s*[^,\s][^,]*)*\s*$/;

export class LabSimulatorConfig {
  @IsInt() @Min(0) @Max(65535)
  LAB_SIM_PORT = 3010;

  @IsString() @MinLength(1)
  LAB_SIM_HOST = '127.0.0.1';

  /** The key a lab registers with Vantage for its model endpoint; the demo default is not a secret. */
  @IsString() @MinLength(8)
  LAB_SIM_API_KEY = 'sk-lab-simulator-demo';

  @Matches(COMMA_LIST, { message: 'must be a comma-separated list of model ids' })
  LAB_SIM_MODELS = 'acme-frontier-2026-12';

  @IsInt() @Min(0) @Max(600_000)
  LAB_SIM_LATENCY_MS = 50;

  @IsInt() @Min(0) @Max(600_000)
  LAB_SIM_LATENCY_JITTER_MS = 0;

  /** Probability of a correct answer to a task. */
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  LAB_SIM_SKILL = 0.9;

  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  LAB_SIM_RATE_429 = 0;

  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  LAB_SIM_RATE_500 = 0;

  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  LAB_SIM_RATE_HANG = 0;

  @IsInt() @Min(0) @Max(3600)
  LAB_SIM_RETRY_AFTER_SECONDS = 1;

  @IsInt() @Min(0) @Max(60_000)
  LAB_SIM_STREAM_CHUNK_DELAY_MS = 0;

  /** Unset: a fresh sequence each start. loadConfig converts by the default's type, and this default is none. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(0xffffffff)
  LAB_SIM_SEED?: number = undefined;

  /** Canary strings the demo model "leaks" when asked to complete a prefix of one (comma-separated). */
  @IsString()
  LAB_SIM_KNOWN_CANARIES = '';
}

export const loadLabSimulatorConfig = (env: Record<string, string | undefined> = process.env, overrides: Partial<LabSimulatorConfig> = {}) =>
  loadConfig(LabSimulatorConfig, env, overrides);

export function simulatorOptionsFrom(config: LabSimulatorConfig): LabSimulatorOptions {
  return {
    apiKey: config.LAB_SIM_API_KEY,
    models: commaList(config.LAB_SIM_MODELS),
    latencyMs: config.LAB_SIM_LATENCY_MS,
    latencyJitterMs: config.LAB_SIM_LATENCY_JITTER_MS,
    skill: config.LAB_SIM_SKILL,
    rate429: config.LAB_SIM_RATE_429,
    rate500: config.LAB_SIM_RATE_500,
    rateHang: config.LAB_SIM_RATE_HANG,
    retryAfterSeconds: config.LAB_SIM_RETRY_AFTER_SECONDS,
    streamChunkDelayMs: config.LAB_SIM_STREAM_CHUNK_DELAY_MS,
    knownCanaries: commaList(config.LAB_SIM_KNOWN_CANARIES),
    ...(config.LAB_SIM_SEED === undefined ? {} : { seed: config.LAB_SIM_SEED }),
  };
}

function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
