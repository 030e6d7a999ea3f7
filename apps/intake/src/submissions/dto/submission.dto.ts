// The submission API's shapes: every field checked, unknown fields refused (the global pipe forbids them).
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsRfc3339 } from '@vantage/contracts';
import {
  ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsNumber, IsObject, IsOptional, IsString, IsUrl, IsUUID, Length, Max, Min,
  ValidateNested,
} from 'class-validator';

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
  @ApiProperty() baseUrl: string;
  @ApiProperty() modelId: string;
}

export class SubmissionView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['active', 'withdrawn', 'released'] }) status: string;
  @ApiProperty() labId: string;
  @ApiProperty({ type: ModelDto }) model: ModelDto;
  @ApiProperty() plannedReleaseAt: string;
  @ApiPropertyOptional() earliestAccessAt?: string;
  @ApiPropertyOptional() declaredTrainingFlop?: number;
  @ApiPropertyOptional({ type: [String] }) agencies?: string[];
  @ApiProperty({ type: EndpointView, description: 'Never includes the credential' }) endpoint: EndpointView;
  @ApiPropertyOptional() releasedAt?: string;
  @ApiPropertyOptional() withdrawnAt?: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class SubmissionPage {
  @ApiProperty({ type: [SubmissionView] }) items: SubmissionView[];
  @ApiPropertyOptional() nextCursor?: string;
}
