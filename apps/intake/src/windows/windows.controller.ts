// The window routes: the gateway authenticates and checks the shape; the scheduler, which owns windows,
// decides who may see which (forwarded over request-reply with the caller's identity).
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Caller, Principal, Roles } from '@vantage/auth';
import { GetWindow, ListWindows, WindowView } from '@vantage/contracts';
import { ApiProblems } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { Forwarder } from '../http/forwarder';

const STATES = ['scheduled', 'open', 'closed', 'cancelled'] as const;

class GrantViewDoc {
  @ApiProperty() agencyId: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) state: string;
}

export class WindowViewDoc {
  @ApiProperty() submissionId: string;
  @ApiProperty({ enum: STATES }) state: string;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiPropertyOptional({ enum: ['scheduled-end', 'released', 'withdrawn'] }) closedReason?: string;
  @ApiPropertyOptional() closedAt?: string;
  @ApiProperty({ type: [GrantViewDoc] }) grants: GrantViewDoc[];
}

class WindowPageDoc {
  @ApiProperty({ type: [WindowViewDoc] }) items: WindowViewDoc[];
}

export class ListWindowsQuery {
  @ApiPropertyOptional({ enum: STATES })
  @IsOptional() @IsIn(STATES as unknown as string[])
  state?: (typeof STATES)[number];
}

@ApiTags('windows')
@ApiBearerAuth()
@Controller('v1')
export class WindowsController {
  constructor(private readonly forwarder: Forwarder) {}

  @Get('submissions/:id/window')
  @Roles('lab', 'agency', 'operator')
  @ApiOperation({ summary: "A submission's access window: the lab that owns it, a granted agency, an operator. Roles: lab, agency, operator." })
  @ApiOkResponse({ type: WindowViewDoc })
  @ApiProblems(401, 403, 404, 429, 503, 504)
  window(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string): Promise<WindowView> {
    return this.forwarder.forward(GetWindow, { submissionId: id }, caller);
  }

  @Get('windows')
  @Roles('lab', 'agency', 'operator')
  @ApiOperation({ summary: 'Windows you may see: an agency those it holds a grant on, a lab its own, an operator all. Roles: lab, agency, operator.' })
  @ApiOkResponse({ type: WindowPageDoc })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  windows(@Caller() caller: Principal, @Query() query: ListWindowsQuery): Promise<{ items: WindowView[] }> {
    return this.forwarder.forward(ListWindows, { ...(query.state ? { state: query.state } : {}) }, caller);
  }
}
