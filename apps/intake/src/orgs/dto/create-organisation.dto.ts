import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { Clearance, CLEARANCES, ORG_KINDS, OrgKind } from '@vantage/contracts';

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
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORG_KINDS }) kind: OrgKind;
  @ApiPropertyOptional({ enum: CLEARANCES }) clearance?: Clearance;
  @ApiProperty() createdAt: string;
}

export class IssuedKeyView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The API key. Shown this once; only a hash is kept.' }) key: string;
  @ApiProperty() createdAt: string;
}
