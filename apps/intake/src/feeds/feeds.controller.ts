import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Principal, Roles } from '@vantage/auth';
import { ApiProblems } from '../http/api-problems.decorator';
import { FEED_CREDENTIALS_EXAMPLE, FeedCredentialsView, IssueFeedCredentialsDto } from './dto/feed-credentials.dto';
import { IssueFeedCredentialsUseCase } from './issue-feed-credentials.use-case';

@ApiTags('feeds')
@ApiBearerAuth()
@Controller('v1/feeds')
export class FeedsController {
  constructor(private readonly issue: IssueFeedCredentialsUseCase) {}

  @Post('credentials')
  @Roles('lab', 'agency', 'clearinghouse', 'operator')
  @ApiOperation({
    operationId: 'issueFeedCredentials',
    summary: "NATS credentials to read your organisation's own event feed. Roles: lab, agency, clearinghouse, operator.",
    description:
      'The feed carries every event your organisation may see, as CloudEvents JSON, on `<prefix>.feed.<orgId>.<type>` in the `<PREFIX>_FEED` JetStream stream. ' +
      'The user may create and read durable consumers named in `consumers` filtered on its own feed, and nothing else. The credentials are shown once and expire.',
  })
  @ApiBody({ type: IssueFeedCredentialsDto, required: false, examples: { default: { summary: 'The default consumer only', value: {} }, alerts: { summary: 'And a consumer named alerts', value: { consumers: ['alerts'] } } } })
  @ApiCreatedResponse({ type: FeedCredentialsView, description: 'The credentials (shown this once)', example: FEED_CREDENTIALS_EXAMPLE })
  @ApiProblems(400, 401, 403, 429, 503)
  async issueCredentials(@Caller() caller: Principal, @Body() body: IssueFeedCredentialsDto): Promise<FeedCredentialsView> {
    return this.issue.execute({ caller, consumers: body.consumers });
  }
}
