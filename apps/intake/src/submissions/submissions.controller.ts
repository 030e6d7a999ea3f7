import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Caller, Principal, Roles } from '@vantage/auth';
import { ApiIdempotencyKey, ApiProblems } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { Idempotency } from '../http/idempotency';
import {
  CREATE_SUBMISSION_EXAMPLE, CreateSubmissionDto, ListSubmissionsQuery, RELEASED_SUBMISSION_EXAMPLE, ReleaseSubmissionDto, SUBMISSION_EXAMPLE,
  SubmissionPage, SubmissionView, submissionView, UpdateSubmissionDto, WITHDRAWN_SUBMISSION_EXAMPLE,
} from './dto/submission.dto';
import { GetSubmissionUseCase } from './get-submission.use-case';
import { ListSubmissionsUseCase } from './list-submissions.use-case';
import { ReceiveSubmissionUseCase } from './receive-submission.use-case';
import { ReleaseSubmissionUseCase } from './release-submission.use-case';
import { UpdateSubmissionUseCase } from './update-submission.use-case';
import { WithdrawSubmissionUseCase } from './withdraw-submission.use-case';

@ApiTags('submissions')
@ApiBearerAuth()
@Controller('v1/submissions')
export class SubmissionsController {
  constructor(
    private readonly receive: ReceiveSubmissionUseCase,
    private readonly get: GetSubmissionUseCase,
    private readonly list: ListSubmissionsUseCase,
    private readonly update: UpdateSubmissionUseCase,
    private readonly withdrawSubmission: WithdrawSubmissionUseCase,
    private readonly releaseSubmission: ReleaseSubmissionUseCase,
    private readonly idempotency: Idempotency,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Post()
  @Roles('lab')
  @ApiOperation({ operationId: 'createSubmission', summary: 'Submit a model for pre-release access (voluntary; nothing here approves or blocks a release). Roles: lab.' })
  @ApiIdempotencyKey()
  @ApiBody({ type: CreateSubmissionDto, examples: { submission: { summary: 'A model, its planned release and its endpoint', value: CREATE_SUBMISSION_EXAMPLE } } })
  @ApiCreatedResponse({ type: SubmissionView, description: 'The submission; its window follows (GET …/window)', example: SUBMISSION_EXAMPLE })
  @ApiProblems(400, 401, 403, 409, 413, 422, 429)
  async create(@Caller() caller: Principal, @Body() body: CreateSubmissionDto, @Headers('idempotency-key') key?: string): Promise<SubmissionView> {
    const result = await this.idempotency.run(caller.orgId, key, body, async (tx) =>
      submissionView(
        await this.receive.execute(
          {
            caller,
            model: body.model,
            plannedReleaseAt: new Date(body.plannedReleaseAt),
            earliestAccessAt: body.earliestAccessAt ? new Date(body.earliestAccessAt) : undefined,
            endpoint: body.endpoint,
            declaredTrainingFlop: body.declaredTrainingFlop,
            agencies: body.agencies,
          },
          tx,
        ),
      ),
    );
    return result.body;
  }

  @Get()
  @Roles('lab', 'operator')
  @ApiOperation({ operationId: 'listSubmissions', summary: 'List submissions: a lab its own, an operator all. Newest first. Roles: lab, operator.' })
  @ApiOkResponse({ type: SubmissionPage, description: 'A page of submissions', example: { items: [SUBMISSION_EXAMPLE] } })
  @ApiProblems(400, 401, 403, 429)
  async index(@Caller() caller: Principal, @Query() query: ListSubmissionsQuery): Promise<SubmissionPage> {
    const page = await this.list.execute({ caller, ...query }, this.dataSource.manager);
    return { items: page.items.map(submissionView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  @Get(':id')
  @Roles('lab', 'operator')
  @ApiOperation({ operationId: 'getSubmission', summary: "Read a submission: a lab its own, an operator any. Another lab's id is 404. Roles: lab, operator." })
  @ApiOkResponse({ type: SubmissionView, description: 'The submission', example: SUBMISSION_EXAMPLE })
  @ApiProblems(401, 403, 404, 429)
  async show(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string): Promise<SubmissionView> {
    return submissionView(await this.get.execute({ caller, id }, this.dataSource.manager));
  }

  @Patch(':id')
  @Roles('lab')
  @ApiOperation({ operationId: 'updateSubmission', summary: 'Reschedule the planned release and/or rotate the endpoint credential. Roles: lab.' })
  @ApiBody({
    type: UpdateSubmissionDto,
    examples: {
      reschedule: { summary: 'Move the planned release', value: { plannedReleaseAt: '2026-12-24T00:00:00Z' } },
      rotate: { summary: 'Rotate the endpoint credential', value: { endpoint: { apiKey: 'sk-acme-rotated-…' } } },
    },
  })
  @ApiOkResponse({ type: SubmissionView, description: 'The submission as it now stands', example: { ...SUBMISSION_EXAMPLE, plannedReleaseAt: '2026-12-24T00:00:00.000Z', updatedAt: '2026-11-27T08:00:00.000Z' } })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429)
  async patch(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: UpdateSubmissionDto): Promise<SubmissionView> {
    const command = { caller, id, plannedReleaseAt: body.plannedReleaseAt ? new Date(body.plannedReleaseAt) : undefined, endpoint: body.endpoint };
    return submissionView(await this.dataSource.transaction((tx) => this.update.execute(command, tx)));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('lab')
  @ApiOperation({ operationId: 'withdrawSubmission', summary: 'Withdraw: the window is cancelled and every grant revoked at once. Roles: lab.' })
  @ApiOkResponse({ type: SubmissionView, description: 'The withdrawn submission', example: WITHDRAWN_SUBMISSION_EXAMPLE })
  @ApiProblems(401, 403, 404, 409, 429)
  async withdraw(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string): Promise<SubmissionView> {
    return submissionView(await this.dataSource.transaction((tx) => this.withdrawSubmission.execute({ caller, id }, tx)));
  }

  @Post(':id/release')
  @HttpCode(200)
  @Roles('lab')
  @ApiOperation({ operationId: 'releaseSubmission', summary: 'Declare the public release: the window closes at once. Roles: lab.' })
  @ApiBody({ type: ReleaseSubmissionDto, required: false, examples: { released: { summary: 'Released earlier today', value: { releasedAt: '2026-12-18T16:00:00Z' } }, now: { summary: 'Released now', value: {} } } })
  @ApiOkResponse({ type: SubmissionView, description: 'The released submission', example: RELEASED_SUBMISSION_EXAMPLE })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429)
  async release(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: ReleaseSubmissionDto): Promise<SubmissionView> {
    const command = { caller, id, releasedAt: body?.releasedAt ? new Date(body.releasedAt) : undefined };
    return submissionView(await this.dataSource.transaction((tx) => this.releaseSubmission.execute(command, tx)));
  }
}
