// The submission API's shapes: every field checked, unknown fields refused (the global pipe forbids them).
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { EXAMPLE_IDS, IsRfc3339 } from '@vantage/contracts';
import {
  ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsNumber, IsObject, IsOptional, IsString, IsUrl, IsUUID, Length, Max, Min,
  ValidateNested,
} from 'class-validator';
import { Submission } from '../submission.entity';

export class ModelDto {
  @ApiProperty({ example: 'acme-frontier', maxLength: 200 })
  @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ example: '2026-12', maxLength: 100 })
  @IsString() @Length(1, 100)
  version: string;
}

export class EndpointDto {
  @ApiProperty({ example: 'https://api.acme.example/v1', description: 'OpenAI-compatible API root: POST {baseUrl}/chat/completions' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http(s) URL' })
  @Length(1, 2048)
  baseUrl: string;

  @ApiProperty({ example: 'acme-frontier-2026-12', maxLength: 200 })
  @IsString() @Length(1, 200)
  modelId: string;

  @ApiProperty({ description: "The lab's credential for the endpoint. Stored encrypted; never returned.", writeOnly: true })
  @IsString() @Length(1, 4096)
  apiKey: string;
}

export class CreateSubmissionDto {
  @ApiProperty({ type: ModelDto })
  @IsObject() @ValidateNested() @Type(() => ModelDto)
  model: ModelDto;

  @ApiProperty({ example: '2026-12-20T00:00:00Z', description: 'RFC 3339; must be in the future' })
  @IsRfc3339()
  plannedReleaseAt: string;

  @ApiPropertyOptional({ example: '2026-11-28T00:00:00Z' })
  @IsOptional() @IsRfc3339()
  earliestAccessAt?: string;

  @ApiProperty({ type: EndpointDto })
  @IsObject() @ValidateNested() @Type(() => EndpointDto)
  endpoint: EndpointDto;

  @ApiPropertyOptional({ example: 3.1e26, description: 'Declared training compute in FLOP' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e32)
  declaredTrainingFlop?: number;

  @ApiPropertyOptional({ type: [String], description: 'Consenting agencies; default: every agency in the programme' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @ArrayUnique() @IsUUID('all', { each: true, message: 'each must be an agency id' })
  agencies?: string[];
}

export class EndpointPatchDto extends PartialType(EndpointDto) {}

export class UpdateSubmissionDto {
  @ApiPropertyOptional({ example: '2026-12-24T00:00:00Z' })
  @IsOptional() @IsRfc3339()
  plannedReleaseAt?: string;

  @ApiPropertyOptional({ type: EndpointPatchDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EndpointPatchDto)
  endpoint?: EndpointPatchDto;
}

export class ReleaseSubmissionDto {
  @ApiPropertyOptional({ description: 'When the model was publicly released; default now. Not in the future.' })
  @IsOptional() @IsRfc3339()
  releasedAt?: string;
}

export class ListSubmissionsQuery {
  @ApiPropertyOptional({ enum: ['active', 'withdrawn', 'released'] })
  @IsOptional() @IsIn(['active', 'withdrawn', 'released'])
  status?: 'active' | 'withdrawn' | 'released';

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @Length(1, 200)
  cursor?: string;
}

export class EndpointView {
  @ApiProperty({ example: 'https://api.acme.example/v1' }) baseUrl: string;
  @ApiProperty({ example: 'acme-frontier-2026-12' }) modelId: string;
}

const SUBMISSION_STATUSES = ['active', 'withdrawn', 'released'] as const;

export class SubmissionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: SUBMISSION_STATUSES }) status: (typeof SUBMISSION_STATUSES)[number];
  @ApiProperty({ format: 'uuid', description: 'The lab that submitted the model' }) labId: string;
  @ApiProperty({ type: ModelDto }) model: ModelDto;
  @ApiProperty({ format: 'date-time' }) plannedReleaseAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) earliestAccessAt?: string;
  @ApiPropertyOptional({ description: 'Declared training compute in FLOP' }) declaredTrainingFlop?: number;
  @ApiPropertyOptional({ type: [String], description: 'Consenting agencies; absent: every agency in the programme' }) agencies?: string[];
  @ApiProperty({ type: EndpointView, description: 'Never includes the credential' }) endpoint: EndpointView;
  @ApiPropertyOptional({ format: 'date-time', description: 'Once released' }) releasedAt?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Once withdrawn' }) withdrawnAt?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class SubmissionPage {
  @ApiProperty({ type: [SubmissionView], description: 'Newest first' }) items: SubmissionView[];
  @ApiPropertyOptional({ description: 'Present when there are more: pass it as `cursor` for the next page' }) nextCursor?: string;
}

const ids = EXAMPLE_IDS;

export const CREATE_SUBMISSION_EXAMPLE: CreateSubmissionDto = {
  model: { name: 'acme-frontier', version: '2026-12' },
  plannedReleaseAt: '2026-12-20T00:00:00Z',
  earliestAccessAt: '2026-11-28T00:00:00Z',
  endpoint: { baseUrl: 'https://api.acme.example/v1', modelId: 'acme-frontier-2026-12', apiKey: 'sk-acme-5f1c9e…' },
  declaredTrainingFlop: 3.1e26,
  agencies: [ids.agency],
};

export const SUBMISSION_EXAMPLE: SubmissionView = {
  id: ids.submission,
  status: 'active',
  labId: ids.lab,
  model: { name: 'acme-frontier', version: '2026-12' },
  plannedReleaseAt: '2026-12-20T00:00:00.000Z',
  earliestAccessAt: '2026-11-28T00:00:00.000Z',
  declaredTrainingFlop: 3.1e26,
  agencies: [ids.agency],
  endpoint: { baseUrl: 'https://api.acme.example/v1', modelId: 'acme-frontier-2026-12' },
  createdAt: '2026-11-26T12:00:00.000Z',
  updatedAt: '2026-11-26T12:00:00.000Z',
};

export const WITHDRAWN_SUBMISSION_EXAMPLE: SubmissionView = {
  ...SUBMISSION_EXAMPLE,
  status: 'withdrawn',
  withdrawnAt: '2026-12-02T09:30:00.000Z',
  updatedAt: '2026-12-02T09:30:00.000Z',
};

export const RELEASED_SUBMISSION_EXAMPLE: SubmissionView = {
  ...SUBMISSION_EXAMPLE,
  status: 'released',
  releasedAt: '2026-12-18T16:00:00.000Z',
  updatedAt: '2026-12-18T16:05:00.000Z',
};

/** A submission as the API shows it (never its credential). */
export function submissionView(s: Submission) {
  return {
    id: s.id,
    status: s.status,
    labId: s.labId,
    model: { name: s.modelName, version: s.modelVersion },
    plannedReleaseAt: s.plannedReleaseAt.toISOString(),
    ...(s.earliestAccessAt ? { earliestAccessAt: s.earliestAccessAt.toISOString() } : {}),
    ...(s.declaredTrainingFlop !== null ? { declaredTrainingFlop: s.declaredTrainingFlop } : {}),
    ...(s.agencies ? { agencies: s.agencies } : {}),
    endpoint: { baseUrl: s.endpointBaseUrl, modelId: s.endpointModelId },
    ...(s.releasedAt ? { releasedAt: s.releasedAt.toISOString() } : {}),
    ...(s.withdrawnAt ? { withdrawnAt: s.withdrawnAt.toISOString() } : {}),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
