// Events the intake gateway publishes about submissions.
import { Type } from 'class-transformer';
import {
  IsArray, IsDateString, IsNumber, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested,
} from 'class-validator';
import { defineEvent } from '../event-definition';

export class ModelRef {
  @IsString() @Length(1, 200)
  name: string;

  @IsString() @Length(1, 100)
  version: string;
}

export class SubmissionReceivedV1 {
  @IsUUID()
  submissionId: string;

  @IsString() @Length(1, 64)
  labId: string;

  @ValidateNested() @Type(() => ModelRef)
  model: ModelRef;

  @IsDateString({ strict: true })
  plannedReleaseAt: string;

  @IsOptional() @IsDateString({ strict: true })
  earliestAccessAt?: string;

  @IsOptional() @IsNumber() @Min(0) @Max(1e35)
  declaredTrainingFlop?: number;

  /** Agencies the lab consents to; absent means every agency in the programme. */
  @IsOptional() @IsArray() @IsString({ each: true })
  agencies?: string[];

  @IsDateString({ strict: true })
  receivedAt: string;
}

export const SubmissionReceived = defineEvent({
  domain: 'intake',
  entity: 'submission',
  event: 'received',
  version: 1,
  payload: SubmissionReceivedV1,
  description: 'A lab submitted a model for pre-release access. Never carries the endpoint credential.',
});
