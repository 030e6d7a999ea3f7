// Request-reply subjects the benchmark runner answers (the gateway forwards its suite and score routes here).
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested,
} from 'class-validator';
import { CLEARANCES, Clearance } from '../audience';
import { defineRpc } from '../rpc-definition';
import { CanaryCheckV1, ComputeBasisV1, IntervalMethod, RunState, SuiteRefV1 } from '../events/bench.events';

export const SCORERS = ['exact', 'includes', 'regex', 'numeric', 'choice'] as const;
export type ScorerKind = (typeof SCORERS)[number];
export const MAX_SUITE_ITEMS = 50_000;

export class SuiteItemInput {
  @IsString() @Length(1, 200) id: string;
  @IsString() @Length(1, 20_000) input: string;
  @IsString() @Length(1, 2_000) target: string;
  @IsOptional() @IsArray() @ArrayMinSize(2) @ArrayMaxSize(26) @IsString({ each: true }) @Length(1, 2_000, { each: true })
  choices?: string[];
}

/** A suite's metadata: the JSON body without `items`, or the first line of a JSONL upload. */
export class SuiteMetadataInput {
  @IsString() @Length(1, 200) name: string;
  @IsString() @Length(1, 64) version: string;
  @IsIn(CLEARANCES as unknown as string[]) classification: Clearance;
  @IsIn(SCORERS as unknown as string[]) scorer: ScorerKind;
  /** With a threshold the suite counts toward the frontier decision. */
  @IsOptional() @IsNumber() @Min(0) @Max(1) threshold?: number;
  /** Each item is asked this many times; the interval is then a bootstrap across items. */
  @IsOptional() @IsInt() @Min(1) @Max(10) epochs?: number;
  /**
   * A string planted in the suite so that training on it can be detected: after a run the model is asked to
   * continue its first half. Kept sealed with the items; never returned.
   */
  @IsOptional() @IsString() @Length(16, 200) canary?: string;
}

export class CreateSuiteRequest extends SuiteMetadataInput {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_SUITE_ITEMS) @ValidateNested({ each: true }) @Type(() => SuiteItemInput)
  items: SuiteItemInput[];
}

/** A suite's metadata: never its items. */
export interface SuiteView {
  id: string;
  name: string;
  version: string;
  classification: Clearance;
  scorer: ScorerKind;
  threshold?: number;
  epochs: number;
  itemCount: number;
  contentHash: string;
  active: boolean;
  createdAt: string;
}

/*
 * A suite is uploaded in parts, so that no message exceeds NATS's payload limit whatever the suite's size: the
 * gateway starts an upload, appends the items in chunks, and seals it with the count and content hash of all
 * the items it sent. Only the seal creates the suite, in one transaction; an upload that is never sealed is
 * discarded (or expires), so no half suite is ever active.
 */
export const SUITE_CHUNK_MAX_ITEMS = 5_000;

export const StartSuiteUpload = defineRpc<SuiteMetadataInput, { uploadId: string }>({
  domain: 'bench', verb: 'start-suite-upload', request: SuiteMetadataInput,
  description: 'Starts the upload of a benchmark suite (its metadata); the items follow in chunks. Operators only.',
});

export class AppendSuiteItemsRequest {
  @IsUUID() uploadId: string;
  /** 0, 1, 2, …: a chunk sent again (a retry) is accepted once. */
  @IsInt() @Min(0) seq: number;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(SUITE_CHUNK_MAX_ITEMS) @ValidateNested({ each: true }) @Type(() => SuiteItemInput)
  items: SuiteItemInput[];
  /** Where each item came from (`line 12` of a JSONL upload), so that a refusal names it; default `items[i]`. */
  @IsOptional() @IsArray() @ArrayMaxSize(SUITE_CHUNK_MAX_ITEMS) @IsString({ each: true }) @Length(1, 40, { each: true })
  labels?: string[];
}

export const AppendSuiteItems = defineRpc<AppendSuiteItemsRequest, { itemCount: number }>({
  domain: 'bench', verb: 'append-suite-items', request: AppendSuiteItemsRequest,
  description: 'Adds a chunk of items to a suite upload (sealed at rest at once). Operators only.',
});

export class SealSuiteUploadRequest {
  @IsUUID() uploadId: string;
  /** What the uploader sent: the runner checks both against what it stored, so a lost chunk cannot pass. */
  @IsInt() @Min(1) @Max(MAX_SUITE_ITEMS) itemCount: number;
  @IsString() @Length(64, 64) contentHash: string;
}

export const SealSuiteUpload = defineRpc<SealSuiteUploadRequest, SuiteView>({
  domain: 'bench', verb: 'seal-suite-upload', request: SealSuiteUploadRequest,
  description: 'Creates the suite from a complete upload, atomically, and makes it active. Operators only.',
});

export class DiscardSuiteUploadRequest {
  @IsUUID() uploadId: string;
}

export const DiscardSuiteUpload = defineRpc<DiscardSuiteUploadRequest, Record<string, never>>({
  domain: 'bench', verb: 'discard-suite-upload', request: DiscardSuiteUploadRequest,
  description: 'Drops an upload that failed part-way, with every chunk stored for it. Operators only.',
});

export class ListSuitesRequest {
  /** Only suites of this classification (the caller's clearance still applies). */
  @IsOptional() @IsIn(CLEARANCES as unknown as string[]) classification?: Clearance;
}

export const ListSuites = defineRpc<ListSuitesRequest, { items: SuiteView[] }>({
  domain: 'bench', verb: 'list-suites', request: ListSuitesRequest,
  description: "Suites' metadata: all for operators, those an agency's clearance covers for agencies.",
});

export class SubmissionIdRequest {
  @IsUUID() submissionId: string;
}

export interface RunView {
  runId: string;
  submissionId: string;
  suite: SuiteRefV1 & { classification: Clearance; threshold?: number; epochs: number };
  state: RunState;
  /** Trials: items × epochs. */
  total: number;
  correct: number;
  wrong: number;
  errored: number;
  /** Of the errored: out when a runner stopped, recorded errored rather than asked again. */
  interrupted: number;
  accuracy?: number;
  /** The 95% interval of the accuracy (see `interval`); errored trials are left out. */
  lower?: number;
  upper?: number;
  interval?: IntervalMethod;
  /** For a suite with a canary, once the run completed: whether the model knew its hidden half. */
  canary?: CanaryCheckV1;
  startedAt: string;
  finishedAt?: string;
  abortReason?: string;
}

export const ListRuns = defineRpc<SubmissionIdRequest, { items: RunView[] }>({
  domain: 'bench', verb: 'list-runs', request: SubmissionIdRequest,
  description: "A submission's runs with scores: operators all, agencies those of suites their clearance covers.",
});

/** A suite behind a decision, as shown to a caller cleared for its classification. */
export interface SuiteEvidenceView extends SuiteRefV1 {
  classification: Clearance;
  /** Its line of the basis, when its lower bound reached its threshold. */
  basis?: string;
}

/**
 * The decision as the caller may see it: `basis` holds the compute line and the lines of the suites the caller is
 * cleared for, and `suites` those suites. Operators see every suite; an agency those its clearance covers; the lab
 * none (as it may list no suite), so a lab learns why its model is frontier only as far as compute goes.
 */
export interface ClassificationView {
  submissionId: string;
  frontier: boolean;
  basis: string[];
  policyVersion: string;
  suites: SuiteEvidenceView[];
  /** Declared training compute against the policy's figure (absent on decisions recorded before it was kept). */
  compute?: ComputeBasisV1;
  decidedAt: string;
}

export const GetClassification = defineRpc<SubmissionIdRequest, ClassificationView>({
  domain: 'bench', verb: 'get-classification', request: SubmissionIdRequest,
  description:
    'The frontier decision: the lab owner, agencies granted on the window, operators; not_found until decided. The suites and ' +
    'their lines are filtered by clearance: operators all, agencies those their clearance covers, labs none.',
});
