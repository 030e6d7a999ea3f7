// GET /v1/me: who the presented key speaks for, so that a client (the CLI's login, a console) can show it and
// check a key without side effects.
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Caller, Principal, Roles } from '@vantage/auth';
import { CLEARANCES, ORG_KINDS } from '@vantage/contracts';
import { ApiProblems } from '../http/api-problems.decorator';

export class MeView {
  @ApiProperty({ description: 'Your organisation' }) orgId: string;
  @ApiProperty({ enum: ORG_KINDS }) kind: string;
  @ApiPropertyOptional({ enum: CLEARANCES, description: 'Agencies only' }) clearance?: string;
  @ApiProperty({ description: 'The id of the key that made this call' }) keyId: string;
}

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  @Get()
  @Roles('lab', 'agency', 'clearinghouse', 'operator')
  @ApiOperation({ operationId: 'getMe', summary: 'The organisation your API key speaks for. Roles: lab, agency, clearinghouse, operator.' })
  @ApiOkResponse({ type: MeView })
  @ApiProblems(401, 429)
  me(@Caller() caller: Principal): MeView {
    return { orgId: caller.orgId, kind: caller.kind, ...(caller.clearance ? { clearance: caller.clearance } : {}), keyId: caller.keyId };
  }
}
