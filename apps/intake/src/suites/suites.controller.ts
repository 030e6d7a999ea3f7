// The benchmark runner's routes at the gateway: shapes checked here with the contract classes; the runner
// decides who sees which suite, run and decision (forwarded with the caller's identity). Items go in and
// never come back out: no route returns them.
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Principal, Roles } from '@vantage/auth';
import { CreateSuite, CreateSuiteRequest, GetClassification, ListRuns, ListSuites } from '@vantage/contracts';
import { ApiProblems } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { Forwarder } from '../http/forwarder';

@ApiTags('benchmarks')
@ApiBearerAuth()
@Controller('v1')
export class SuitesController {
  constructor(private readonly forwarder: Forwarder) {}

  @Post('suites')
  @HttpCode(201)
  @Roles('operator')
  @ApiOperation({ summary: 'Add a benchmark suite; its items are sealed at rest and never returned. Roles: operator.' })
  @ApiBody({ description: 'See API.md: name, version, classification, scorer, threshold?, epochs?, canary?, items[{id, input, target, choices?}]' })
  @ApiProblems(400, 401, 403, 409, 413, 422, 429, 503, 504)
  create(@Caller() caller: Principal, @Body() body: CreateSuiteRequest) {
    return this.forwarder.forward(CreateSuite, body, caller);
  }

  @Get('suites')
  @Roles('operator', 'agency')
  @ApiOperation({ summary: "Suites' metadata, filtered by your clearance. Roles: operator, agency." })
  @ApiProblems(401, 403, 429, 503, 504)
  list(@Caller() caller: Principal) {
    return this.forwarder.forward(ListSuites, {}, caller);
  }

  @Get('submissions/:id/runs')
  @Roles('operator', 'agency')
  @ApiOperation({ summary: "A submission's benchmark runs with scores and 95% intervals: suites your clearance covers. Roles: operator, agency." })
  @ApiProblems(401, 403, 429, 503, 504)
  runs(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string) {
    return this.forwarder.forward(ListRuns, { submissionId: id }, caller);
  }

  @Get('submissions/:id/classification')
  @Roles('lab', 'agency', 'operator')
  @ApiOperation({ summary: 'The frontier decision: lab owner, granted agency, operator; 404 until decided.' })
  @ApiProblems(401, 404, 429, 503, 504)
  classification(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string) {
    return this.forwarder.forward(GetClassification, { submissionId: id }, caller);
  }
}
