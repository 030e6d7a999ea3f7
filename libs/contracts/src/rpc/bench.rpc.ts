// Request-reply subjects the benchmark runner answers (the gateway forwards its suite and score routes here).
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested,
} from 'class-validator';
import { CLEARANCES, Clearance } from '../audience';
import { defineRpc } from '../rpc-definition';
import { RunState, SuiteRefV1 } from '../events/bench.events';

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

export class CreateSuiteRequest {
  @IsString() @Length(1, 200) name: string;
  @IsString() @Length(1, 64) version: string;
  @IsIn(CLEARANCES as unknown as string[]) classification: Clearance;
  @IsIn(SCORERS as unknown as string[]) scorer: ScorerKind;
  /** With a threshold the suite counts toward the frontier decision. */
  @IsOptional() @IsNumber() @Min(0) @Max(1) threshold?: number;
  @IsOptional() @IsInt() @Min(1) @Max(10) epochs?: number;
  /** A string planted in the suite so that training on it can be detected; kept sealed with the items. */
  @IsOptional() @IsString() @Length(1, 200) canary?: string;
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

export const CreateSuite = defineRpc<CreateSuiteRequest, SuiteView>({
  domain: 'bench', verb: 'create-suite', request: CreateSuiteRequest,
  description: 'Stores a benchmark suite with its items sealed at rest. Operators only.',
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
  suite: SuiteRefV1 & { classification: Clearance; threshold?: number };
  state: RunState;
  total: number;
  correct: number;
  wrong: number;
  errored: number;
  accuracy?: number;
  /** 95% Wilson interval of the accuracy; errored trials are left out of the denominator. */
  lower?: number;
  upper?: number;
  startedAt: string;
  finishedAt?: string;
  abortReason?: string;
}

export const ListRuns = defineRpc<SubmissionIdRequest, { items: RunView[] }>({
  domain: 'bench', verb: 'list-runs', request: SubmissionIdRequest,
  description: "A submission's runs with scores: operators all, agencies those of suites their clearance covers.",
});

export interface ClassificationView {
  submissionId: string;
  frontier: boolean;
  basis: string[];
  policyVersion: string;
  suites: SuiteRefV1[];
  decidedAt: string;
}

export const GetClassification = defineRpc<SubmissionIdRequest, ClassificationView>({
  domain: 'bench', verb: 'get-classification', request: SubmissionIdRequest,
  description: 'The frontier decision: the lab owner, agencies granted on the window, operators; not_found until decided.',
});
