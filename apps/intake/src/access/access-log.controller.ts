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
import { findVisibleSubmission } from '../submissions/submission-access';
import { ACCESS_LOG_EXAMPLE, AccessLogPage } from './dto/access-log.views';

class AccessLogQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/submissions')
export class AccessLogController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get(':id/access-log')
  @Roles('lab', 'operator')
  @ApiOperation({ operationId: 'getAccessLog', summary: 'Every brokered call to this model: agency, time, status, latency, token counts. Newest first. Roles: lab (its own), operator.' })
  @ApiOkResponse({ type: AccessLogPage, description: 'The newest calls, up to `limit`', example: ACCESS_LOG_EXAMPLE })
  @ApiProblems(400, 401, 403, 404, 429)
  async log(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Query() query: AccessLogQuery): Promise<AccessLogPage> {
    await findVisibleSubmission(this.dataSource.manager, id, caller);
    const rows = await this.dataSource.query(
      `SELECT agency_id, at, status, latency_ms, stream, prompt_tokens, completion_tokens FROM access_log
       WHERE submission_id = $1 ORDER BY seq DESC LIMIT $2`,
      [id, query.limit ?? 200],
    );
    return {
      items: rows.map((r: any) => ({
        agencyId: r.agency_id, at: new Date(r.at).toISOString(), status: r.status, latencyMs: r.latency_ms, stream: r.stream,
        promptTokens: r.prompt_tokens ?? undefined, completionTokens: r.completion_tokens ?? undefined,
      })),
    };
  }
}
