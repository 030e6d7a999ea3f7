// Events the benchmark runner publishes. They carry counts and scores only: a suite's items (inputs and
// targets) never leave the runner, so no event may name them.
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { CLEARANCES, Clearance } from '../audience';
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

/** Declared training compute against the policy's figure: the unclassified side of a decision. */
export class ComputeBasisV1 {
  /** As the lab declared it; absent when it declared none. */
  @IsOptional() @IsNumber() @Min(0) declaredTrainingFlop?: number;
  /** Declared training compute at or above this makes a model frontier whatever it scores. */
  @IsNumber() @Min(0) frontierAtFlop: number;
}

export class BenchModelClassifiedV2 {
  @IsUUID() submissionId: string;
  @IsBoolean() frontier: boolean;
  /**
   * The lines of the decision that need no clearance: declared compute reached the policy's figure, or, when that is
   * not why, that a suite's lower bound reached its threshold (which suite, to those cleared for it, in
   * bench.model.evidence-recorded). Empty when the model is not frontier.
   */
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) basis: string[];
  /** Absent only on a decision made before this version (a late grant's copy of it). */
  @IsOptional() @ValidateNested() @Type(() => ComputeBasisV1) compute?: ComputeBasisV1;
  @IsString() @Length(1, 64) policyVersion: string;
  @IsRfc3339() decidedAt: string;
}

export const BenchModelClassified = defineEvent({
  domain: 'bench', entity: 'model', event: 'classified', version: 2, payload: BenchModelClassifiedV2,
  description:
    "The frontier decision for a submission, once every run of its window completed or aborted: its unclassified part, to the " +
    'lab, the granted agencies and operators. The suites behind it follow in bench.model.evidence-recorded, one per classification. ' +
    '(v1 carried every suite and its line to all of them, whatever their clearance; it is no longer published.)',
});

/** A suite asked of the model, and its line of the decision if its lower bound reached its threshold. */
export class SuiteEvidenceV1 {
  @IsUUID() suiteId: string;
  @IsString() @Length(1, 200) name: string;
  @IsString() @Length(1, 64) version: string;
  @IsString() @Length(64, 64) contentHash: string;
  @IsOptional() @IsString() @Length(1, 500) basis?: string;
}

export class BenchModelEvidenceRecordedV1 {
  @IsUUID() submissionId: string;
  /** Every suite here is of this classification; only agencies cleared for it (and operators) receive the event. */
  @IsIn(CLEARANCES as unknown as string[]) classification: Clearance;
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => SuiteEvidenceV1) suites: SuiteEvidenceV1[];
  @IsString() @Length(1, 64) policyVersion: string;
  /** The decision's time, as in its bench.model.classified. */
  @IsRfc3339() decidedAt: string;
}

export const BenchModelEvidenceRecorded = defineEvent({
  domain: 'bench', entity: 'model', event: 'evidence-recorded', version: 1, payload: BenchModelEvidenceRecordedV1,
  description:
    "The suites of one classification behind a frontier decision: each suite run against the model, and its basis line if its " +
    '95% lower bound reached its threshold. One event per classification with suites in the window, to operators and to the ' +
    'granted agencies cleared for it; never to the lab.',
});
