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
  @IsOptional() @IsNumber() @Min(0) @Max(1) accuracy?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) lower?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) upper?: number;
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
  description: 'Every trial of a run was scored or recorded errored; accuracy with its 95% Wilson interval.',
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
