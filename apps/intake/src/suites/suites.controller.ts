// The benchmark runner's routes at the gateway: shapes checked here with the contract classes; the runner
// decides who sees which suite, run and decision (forwarded with the caller's identity). Items go in and
// never come back out: no route returns them.
import { Controller, Get, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Caller, Principal, Roles } from '@vantage/auth';
import { CreateSuiteRequest, GetClassification, ListRuns, ListSuites } from '@vantage/contracts';
import { createValidationPipe } from '@vantage/runtime';
import { ApiIdempotencyKey, ApiProblems } from '../http/api-problems.decorator';
import { ApiRequestContent } from '../http/api-request-content.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { Forwarder } from '../http/forwarder';
import {
  CLASSIFICATION_EXAMPLE, ClassificationViewDoc, CREATE_SUITE_EXAMPLE, RUN_EXAMPLE, RunPageDoc, SUITE_EXAMPLE, SUITE_JSONL_EXAMPLE, SuitePageDoc,
  SuiteViewDoc,
} from './dto/bench.views';
import { JSONL_TYPES } from './jsonl-body';
import { readJsonlSuite } from './jsonl-suite';
import { UploadSuiteUseCase } from './upload-suite.use-case';

@ApiTags('benchmarks')
@ApiBearerAuth()
@Controller('v1')
export class SuitesController {
  private readonly pipe = createValidationPipe();

  constructor(
    private readonly forwarder: Forwarder,
    private readonly uploadSuite: UploadSuiteUseCase,
  ) {}

  @Post('suites')
  @HttpCode(201)
  @Roles('operator')
  @ApiOperation({
    operationId: 'createSuite',
    summary: 'Add a benchmark suite; its items are sealed at rest and never returned. Roles: operator.',
    description:
      'As `application/json` (the suite with its `items`, up to the gateway\'s body limit) or, for large suites, as ' +
      '`application/x-ndjson` or `application/jsonl` (JSON Lines): line 1 is the suite\'s metadata (the JSON body without `items`), ' +
      'then one item (as in `items`) per line; blank lines are skipped. A JSONL upload is streamed to the runner in chunks and ' +
      'becomes a suite only when every line was accepted: a refused line (named `line N` in `errors`) leaves nothing ' +
      'behind. Up to 50,000 items and 512 MiB.',
  })
  @ApiExtraModels(CreateSuiteRequest)
  @ApiRequestContent({
    'application/json': {
      schema: { $ref: getSchemaPath(CreateSuiteRequest) },
      examples: { suite: { summary: 'A multiple-choice suite that counts toward the decision', value: CREATE_SUITE_EXAMPLE } },
    },
    ...Object.fromEntries(
      JSONL_TYPES.map((type) => [
        type,
        {
          schema: {
            type: 'string',
            description: 'JSON Lines (text to OpenAPI 3.0): line 1 the suite as a CreateSuiteRequest without `items`, then one SuiteItemInput per line',
          },
          example: SUITE_JSONL_EXAMPLE,
        },
      ]),
    ),
  })
  @ApiIdempotencyKey('Same key and suite (metadata and items): the first answer again. Same key, another suite: 409.')
  @ApiCreatedResponse({ type: SuiteViewDoc, description: "The suite's metadata (never its items)", example: SUITE_EXAMPLE })
  @ApiProblems(400, 401, 403, 409, 413, 422, 429, 503, 504)
  async create(@Caller() caller: Principal, @Req() req: FastifyRequest, @Headers('idempotency-key') key?: string) {
    if (JSONL_TYPES.includes(mediaType(req.headers['content-type']))) {
      const body = req.body instanceof Readable ? req.body : Readable.from([]);
      try {
        const { metadata, items } = await readJsonlSuite(body);
        return await this.uploadSuite.execute({ caller, metadata, items, idempotencyKey: key });
      } finally {
        // A refusal part-way leaves the rest of the body unread: discarded as it arrives, the connection lives.
        body.resume();
      }
    }
    // The body is read here rather than with @Body(), which cannot take the JSONL stream; the same pipe checks it.
    const { items, ...metadata } = (await this.pipe.transform(req.body, { type: 'body', metatype: CreateSuiteRequest })) as CreateSuiteRequest;
    return this.uploadSuite.execute({ caller, metadata, items: items.map((item, i) => ({ item, label: `items[${i}]` })), idempotencyKey: key });
  }

  @Get('suites')
  @Roles('operator', 'agency')
  @ApiOperation({ operationId: 'listSuites', summary: "Suites' metadata, filtered by your clearance. Roles: operator, agency." })
  @ApiOkResponse({ type: SuitePageDoc, description: 'The suites you may see', example: { items: [SUITE_EXAMPLE] } })
  @ApiProblems(401, 403, 429, 503, 504)
  list(@Caller() caller: Principal) {
    return this.forwarder.forward(ListSuites, {}, caller);
  }

  @Get('submissions/:id/runs')
  @Roles('operator', 'agency')
  @ApiOperation({
    operationId: 'listRuns',
    summary: "A submission's benchmark runs with scores and 95% intervals: suites your clearance covers, of a model you hold a grant for (otherwise 404). Roles: operator, agency.",
    description:
      'Per run: counts of correct, wrong and errored trials (items × epochs; `interrupted` of the errored were out when a ' +
      'runner stopped), the accuracy with its 95% interval (`interval`: Wilson over trials for one epoch, a bootstrap across ' +
      'items for several), and, for a suite with a canary, whether the model could complete it (`canary.known`).',
  })
  @ApiOkResponse({ type: RunPageDoc, description: 'The runs you may see', example: { items: [RUN_EXAMPLE] } })
  @ApiProblems(401, 403, 404, 429, 503, 504)
  runs(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string) {
    return this.forwarder.forward(ListRuns, { submissionId: id }, caller);
  }

  @Get('submissions/:id/classification')
  @Roles('lab', 'agency', 'operator')
  @ApiOperation({
    operationId: 'getClassification',
    summary: 'The frontier decision: lab owner, granted agency, operator; 404 until decided. Roles: lab, agency, operator.',
    description:
      'Frontier if declared training compute reaches the policy figure, or if on any suite with a threshold the lower bound of the 95% ' +
      'interval of its accuracy reaches that threshold. `basis` and `suites` show only what you are cleared for: a lab sees the compute line alone.',
  })
  @ApiOkResponse({ type: ClassificationViewDoc, description: 'The decision, as you may see it', example: CLASSIFICATION_EXAMPLE })
  @ApiProblems(401, 403, 404, 429, 503, 504)
  classification(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string) {
    return this.forwarder.forward(GetClassification, { submissionId: id }, caller);
  }
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}
