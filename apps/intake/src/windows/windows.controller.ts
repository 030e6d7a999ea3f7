// The window routes: the gateway authenticates and checks the shape; the scheduler, which owns windows,
// decides who may see which (forwarded over request-reply with the caller's identity).
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Caller, Principal, Roles } from '@vantage/auth';
import { GetWindow, ListWindows, WindowView } from '@vantage/contracts';
import { ApiProblems } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { Forwarder } from '../http/forwarder';
import { WINDOW_EXAMPLE, WINDOW_STATES, WindowPageDoc, WindowViewDoc } from './dto/window.views';

export class ListWindowsQuery {
  @ApiPropertyOptional({ enum: WINDOW_STATES })
  @IsOptional() @IsIn(WINDOW_STATES)
  state?: WindowView['state'];
}

@ApiTags('windows')
@ApiBearerAuth()
@Controller('v1')
export class WindowsController {
  constructor(private readonly forwarder: Forwarder) {}

  @Get('submissions/:id/window')
  @Roles('lab', 'agency', 'operator')
  @ApiOperation({ operationId: 'getWindow', summary: "A submission's access window: the lab that owns it, a granted agency, an operator. Roles: lab, agency, operator." })
  @ApiOkResponse({ type: WindowViewDoc, description: 'The window', example: WINDOW_EXAMPLE })
  @ApiProblems(401, 403, 404, 429, 503, 504)
  window(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string): Promise<WindowView> {
    return this.forwarder.forward(GetWindow, { submissionId: id }, caller);
  }

  @Get('windows')
  @Roles('lab', 'agency', 'operator')
  @ApiOperation({ operationId: 'listWindows', summary: 'Windows you may see: an agency those it holds a grant on, a lab its own, an operator all. Roles: lab, agency, operator.' })
  @ApiOkResponse({ type: WindowPageDoc, description: 'The windows', example: { items: [WINDOW_EXAMPLE] } })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  windows(@Caller() caller: Principal, @Query() query: ListWindowsQuery): Promise<{ items: WindowView[] }> {
    return this.forwarder.forward(ListWindows, { ...(query.state ? { state: query.state } : {}) }, caller);
  }
}
