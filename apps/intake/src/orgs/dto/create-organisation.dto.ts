import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { Clearance, CLEARANCES, EXAMPLE_IDS, ORG_KINDS, OrgKind } from '@vantage/contracts';
import { Organisation } from '../organisation.entity';

export class CreateOrganisationDto {
  @ApiProperty({ example: 'Acme AI', minLength: 1, maxLength: 200 })
  @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ enum: ORG_KINDS })
  @IsIn(ORG_KINDS as unknown as string[])
  kind: OrgKind;

  @ApiPropertyOptional({ enum: CLEARANCES, description: 'Required for agencies, refused for other kinds.' })
  @IsOptional() @IsIn(CLEARANCES as unknown as string[])
  clearance?: Clearance;
}

export class OrganisationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORG_KINDS }) kind: OrgKind;
  @ApiPropertyOptional({ enum: CLEARANCES, description: 'Agencies only' }) clearance?: Clearance;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class IssuedKeyView {
  @ApiProperty({ description: 'The key id: revoke with it' }) id: string;
  @ApiProperty({ description: 'The API key (`vnt_<id>_<secret>`). Shown this once; only a hash is kept.' }) key: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export const ORGANISATION_EXAMPLE: OrganisationView = {
  id: EXAMPLE_IDS.agency,
  name: 'Agency A',
  kind: 'agency',
  clearance: 'secret',
  createdAt: '2026-11-20T09:00:00.000Z',
};

export const ISSUED_KEY_EXAMPLE: IssuedKeyView = {
  id: EXAMPLE_IDS.apiKey,
  key: `vnt_${EXAMPLE_IDS.apiKey}_q3VnZ8pX1bT0yLkWd4RsHc9mJfE2aNuY-Wc7tQe5GhU`,
  createdAt: '2026-11-20T09:01:00.000Z',
};

/** An organisation as the API and the admin command line show it. */
export function organisationView(org: Organisation) {
  return {
    id: org.id,
    name: org.name,
    kind: org.kind,
    ...(org.clearance ? { clearance: org.clearance } : {}),
    createdAt: org.createdAt.toISOString(),
  };
}
