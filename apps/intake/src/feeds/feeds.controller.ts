import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Principal, Roles } from '@vantage/auth';
import { ApiProblems } from '../http/api-problems.decorator';
import { FeedCredentialsView, IssueFeedCredentialsDto } from './dto/feed-credentials.dto';
import { IssueFeedCredentialsUseCase } from './issue-feed-credentials.use-case';

@ApiTags('feeds')
@ApiBearerAuth()
@Controller('v1/feeds')
export class FeedsController {
  constructor(private readonly issue: IssueFeedCredentialsUseCase) {}

  @Post('credentials')
  @Roles('lab', 'agency', 'clearinghouse', 'operator')
  @ApiOperation({
    summary: "NATS credentials to read your organisation's own event feed. Roles: lab, agency, clearinghouse, operator.",
    description:
      'The feed carries every event your organisation may see, as CloudEvents JSON, on `<prefix>.feed.<orgId>.<type>` in the `<PREFIX>_FEED` JetStream stream. ' +
      'The user may create and read durable consumers named in `consumers` filtered on its own feed, and nothing else. The credentials are shown once and expire.',
  })
  @ApiCreatedResponse({ type: FeedCredentialsView })
  @ApiProblems(400, 401, 403, 429, 503)
  async issueCredentials(@Caller() caller: Principal, @Body() body: IssueFeedCredentialsDto): Promise<FeedCredentialsView> {
    return this.issue.execute({ caller, consumers: body.consumers });
  }
}
