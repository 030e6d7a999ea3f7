// Events the intake gateway publishes about submissions.
import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested,
} from 'class-validator';
import { defineEvent } from '../event-definition';
import { IsRfc3339 } from '../validation';

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

  @IsRfc3339()
  plannedReleaseAt: string;

  @IsOptional() @IsRfc3339()
  earliestAccessAt?: string;

  @IsOptional() @IsNumber() @Min(0) @Max(1e35)
  declaredTrainingFlop?: number;

  /** Agencies the lab consents to; absent means every agency in the programme. */
  @IsOptional() @IsArray() @IsString({ each: true })
  agencies?: string[];

  @IsRfc3339()
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

export class SubmissionRescheduledV1 {
  @IsUUID()
  submissionId: string;

  @IsString() @Length(1, 64)
  labId: string;

  @IsRfc3339()
  plannedReleaseAt: string;

  @IsRfc3339()
  previousPlannedReleaseAt: string;

  @IsRfc3339()
  rescheduledAt: string;
}

export const SubmissionRescheduled = defineEvent({
  domain: 'intake',
  entity: 'submission',
  event: 'rescheduled',
  version: 1,
  payload: SubmissionRescheduledV1,
  description: 'The lab moved its planned public release; windows are recomputed within the programme rules.',
});

export class SubmissionCredentialRotatedV1 {
  @IsUUID()
  submissionId: string;

  @IsString() @Length(1, 64)
  labId: string;

  /** Whether the base URL or model id changed too (their new values are fetched over request-reply). */
  @IsBoolean()
  endpointChanged: boolean;

  @IsRfc3339()
  rotatedAt: string;
}

export const SubmissionCredentialRotated = defineEvent({
  domain: 'intake',
  entity: 'submission',
  event: 'credential-rotated',
  version: 1,
  payload: SubmissionCredentialRotatedV1,
  description: 'The lab changed its model endpoint or credential. Never carries the credential.',
});

export class SubmissionWithdrawnV1 {
  @IsUUID()
  submissionId: string;

  @IsString() @Length(1, 64)
  labId: string;

  @IsRfc3339()
  withdrawnAt: string;
}

export const SubmissionWithdrawn = defineEvent({
  domain: 'intake',
  entity: 'submission',
  event: 'withdrawn',
  version: 1,
  payload: SubmissionWithdrawnV1,
  description: 'The lab withdrew its model from the programme; its window is cancelled and every grant revoked at once.',
});

export class SubmissionReleasedV1 {
  @IsUUID()
  submissionId: string;

  @IsString() @Length(1, 64)
  labId: string;

  @IsRfc3339()
  releasedAt: string;
}

export const SubmissionReleased = defineEvent({
  domain: 'intake',
  entity: 'submission',
  event: 'released',
  version: 1,
  payload: SubmissionReleasedV1,
  description: 'The lab declared the public release; the window closes at once.',
});

export class OrganisationCreatedV1 {
  @IsUUID()
  orgId: string;

  @IsString() @Length(1, 200)
  name: string;

  @IsIn(['lab', 'agency', 'clearinghouse', 'operator'])
  kind: 'lab' | 'agency' | 'clearinghouse' | 'operator';

  @IsOptional() @IsIn(['unclassified', 'cui', 'secret', 'top-secret'])
  clearance?: 'unclassified' | 'cui' | 'secret' | 'top-secret';

  @IsRfc3339()
  createdAt: string;
}

export const OrganisationCreated = defineEvent({
  domain: 'intake',
  entity: 'organisation',
  event: 'created',
  version: 1,
  payload: OrganisationCreatedV1,
  description: 'An organisation joined the programme. Other services keep their own copy (kinds, clearances) from it.',
});
