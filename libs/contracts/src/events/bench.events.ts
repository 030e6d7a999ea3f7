// Events the benchmark runner publishes. They carry counts and scores only: a suite's items (inputs and
// targets) never leave the runner, so no event may name them.
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { defineEvent } from '../event-definition';
import { IsRfc3339 } from '../validation';

export const RUN_STATES = ['running', 'completed', 'aborted'] as const;
export type RunState = (typeof RUN_STATES)[number];

export class SuiteRefV1 {
  @IsUUID() suiteId: string;
  @IsString() @Length(1, 200) name: string;
  @IsString() @Length(1, 64) version: string;
  /** SHA-256 of the suite's items: says which items were asked without showing them. */
  @IsString() @Length(64, 64) contentHash: string;
}

export const INTERVAL_METHODS = ['wilson', 'bootstrap'] as const;
export type IntervalMethod = (typeof INTERVAL_METHODS)[number];

/**
 * After a run of a suite with a canary, the model is asked to continue the canary's first half. Never the
 * canary itself: only whether the model knew the rest, a sign that the suite leaked into its training data.
 */
export class CanaryCheckV1 {
  /** The model's answer held the canary's hidden half. Absent when the question errored. */
  @IsOptional() @IsBoolean() known?: boolean;
  /** The longest start of the hidden half found in the answer, as a share of it (0–1). */
  @IsOptional() @IsNumber() @Min(0) @Max(1) matched?: number;
  /** The model could not be asked (it errored on every attempt): no evidence either way. */
  @IsBoolean() errored: boolean;
}

/** One run of one suite against one submission's model, as counts so far. */
export class BenchRunV1 {
  @IsUUID() runId: string;
  @IsUUID() submissionId: string;
  @ValidateNested() @Type(() => SuiteRefV1) suite: SuiteRefV1;
  @IsIn(RUN_STATES as unknown as string[]) state: RunState;
  /** Trials to ask: items × epochs. */
  @IsInt() @Min(0) total: number;
  @IsInt() @Min(0) correct: number;
  @IsInt() @Min(0) wrong: number;
  @IsInt() @Min(0) errored: number;
  /** Of the errored: trials that were out when a runner stopped, recorded errored rather than asked again. */
  @IsOptional() @IsInt() @Min(0) interrupted?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) accuracy?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) lower?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) upper?: number;
  /**
   * How lower/upper were found: `wilson` over trials (one epoch, or a run not yet completed), or `bootstrap`
   * across items of each item's mean over its epochs (a completed run with several epochs).
   */
  @IsOptional() @IsIn(INTERVAL_METHODS as unknown as string[]) interval?: IntervalMethod;
  @IsOptional() @ValidateNested() @Type(() => CanaryCheckV1) canary?: CanaryCheckV1;
  @IsOptional() @IsString() @Length(1, 200) abortReason?: string;
  @IsRfc3339() at: string;
}

export const BenchRunStarted = defineEvent({
  domain: 'bench', entity: 'run', event: 'started', version: 1, payload: BenchRunV1,
  description: "A suite started running against a submission's model when its window opened.",
});

export const BenchRunProgress = defineEvent({
  domain: 'bench', entity: 'run', event: 'progress', version: 1, payload: BenchRunV1,
  description: 'Counts of a running run so far (at most every few seconds per run).',
});

export const BenchRunCompleted = defineEvent({
  domain: 'bench', entity: 'run', event: 'completed', version: 1, payload: BenchRunV1,
  description: 'Every trial of a run was scored or recorded errored; accuracy with its 95% interval, and the canary check if the suite has a canary.',
});

export const BenchRunAborted = defineEvent({
  domain: 'bench', entity: 'run', event: 'aborted', version: 1, payload: BenchRunV1,
  description: 'A run was stopped because its window closed or was cancelled; no model call starts after that.',
});

export class BenchModelClassifiedV1 {
  @IsUUID() submissionId: string;
  @IsBoolean() frontier: boolean;
  /** Why: e.g. `compute: 3.1e+26 ≥ 1e+26 FLOP`, `suite x@1: lower bound 0.81 ≥ 0.7`. */
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) basis: string[];
  @IsString() @Length(1, 64) policyVersion: string;
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => SuiteRefV1) suites: SuiteRefV1[];
  @IsRfc3339() decidedAt: string;
}

export const BenchModelClassified = defineEvent({
  domain: 'bench', entity: 'model', event: 'classified', version: 1, payload: BenchModelClassifiedV1,
  description: "The frontier decision for a submission, once every run of its window completed or aborted.",
});
