// The lab reads who used its model through the gateway, and when.
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller, Principal, Roles } from '@vantage/auth';
import { ApiProblems } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { ACCESS_LOG_EXAMPLE, AccessLogPage } from './dto/access-log.views';
import { ReadAccessLogUseCase } from './read-access-log.use-case';

class AccessLogQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/submissions')
export class AccessLogController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readAccessLog: ReadAccessLogUseCase,
  ) {}

  @Get(':id/access-log')
  @Roles('lab', 'operator')
  @ApiOperation({ operationId: 'getAccessLog', summary: 'Every brokered call to this model: agency, time, status, latency, token counts. Newest first. Roles: lab (its own), operator.' })
  @ApiOkResponse({ type: AccessLogPage, description: 'The newest calls, up to `limit`', example: ACCESS_LOG_EXAMPLE })
  @ApiProblems(400, 401, 403, 404, 429)
  async log(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Query() query: AccessLogQuery): Promise<AccessLogPage> {
    const entries = await this.readAccessLog.execute({ caller, submissionId: id, limit: query.limit }, this.dataSource.manager);
    return { items: entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
  }
}
