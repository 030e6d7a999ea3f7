import { Body, Controller, Delete, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Caller, Principal, Roles } from '@vantage/auth';
import { SecretBox } from '@vantage/crypto';
import { ApiIdempotencyKey, ApiProblems } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { Idempotency } from '../http/idempotency';
import { ApiKeyCache } from './api-key-cache';
import { CreateOrganisationUseCase } from './create-organisation.use-case';
import {
  CreateOrganisationDto, ISSUED_KEY_EXAMPLE, IssuedKeyView, ORGANISATION_EXAMPLE, OrganisationView, organisationView,
} from './dto/create-organisation.dto';
import { IssueApiKeyUseCase } from './issue-api-key.use-case';
import { KeyStreams } from './key-streams';
import { RevokeApiKeyUseCase } from './revoke-api-key.use-case';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('v1/orgs')
export class OrgsController {
  constructor(
    private readonly createOrganisation: CreateOrganisationUseCase,
    private readonly issueApiKey: IssueApiKeyUseCase,
    private readonly revokeApiKey: RevokeApiKeyUseCase,
    private readonly idempotency: Idempotency,
    private readonly secrets: SecretBox,
    private readonly keyCache: ApiKeyCache,
    private readonly keyStreams: KeyStreams,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ operationId: 'createOrganisation', summary: 'Create an organisation (lab, agency, clearinghouse or operator). Roles: operator.' })
  @ApiBody({
    type: CreateOrganisationDto,
    examples: {
      agency: { summary: 'An agency, with its clearance', value: { name: 'Agency A', kind: 'agency', clearance: 'secret' } },
      lab: { summary: 'A lab', value: { name: 'Acme AI', kind: 'lab' } },
    },
  })
  @ApiCreatedResponse({ type: OrganisationView, description: 'The organisation; issue it a key next', example: ORGANISATION_EXAMPLE })
  @ApiIdempotencyKey()
  @ApiProblems(400, 401, 403, 409, 422, 429)
  async create(@Caller() caller: Principal, @Body() body: CreateOrganisationDto, @Headers('idempotency-key') key?: string): Promise<OrganisationView> {
    const result = await this.idempotency.run(caller.orgId, key, body, async (tx) => organisationView(await this.createOrganisation.execute(body, tx)));
    return result.body;
  }

  @Post(':orgId/keys')
  @Roles('operator')
  @ApiOperation({
    operationId: 'issueApiKey',
    summary: 'Issue an API key for an organisation; the key is shown this once. Roles: operator.',
    description:
      'With an Idempotency-Key, a repeat within IDEMPOTENCY_KEY_TTL_HOURS (24 h by default) answers the same key again: the one way a ' +
      'caller whose first answer was lost gets the key it made. It is kept sealed (AES-256-GCM) with the stored answer, never in clear, ' +
      'and deleted with it when the Idempotency-Key expires; a repeat after that issues a new key.',
  })
  @ApiCreatedResponse({ type: IssuedKeyView, description: 'The key (shown this once)', example: ISSUED_KEY_EXAMPLE })
  @ApiIdempotencyKey('Same key and organisation within 24 h: the first answer again. Same key, another organisation: 409.')
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async issueKey(@Caller() caller: Principal, @Param('orgId', EntityIdPipe) orgId: string, @Headers('idempotency-key') key?: string): Promise<IssuedKeyView> {
    const { body } = await this.idempotency.run(caller.orgId, key, { orgId }, async (tx) => {
      const issued = await this.issueApiKey.execute({ orgId }, tx);
      return { id: issued.id, keySealed: this.secrets.seal(issued.key, issued.id), createdAt: issued.createdAt.toISOString() };
    });
    return { id: body.id, key: this.secrets.open(body.keySealed, body.id), createdAt: body.createdAt };
  }

  @Delete(':orgId/keys/:keyId')
  @HttpCode(204)
  @Roles('operator')
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key; it stops working at once. Roles: operator.' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems(401, 403, 404, 429)
  async revokeKey(
    @Param('orgId', EntityIdPipe) orgId: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    await this.dataSource.transaction((tx) => this.revokeApiKey.execute({ orgId, keyId }, tx));
    // Committed: this replica forgets the key and ends its streams before answering; the others hear the NOTIFY.
    this.keyCache.forget(keyId);
    this.keyStreams.revoked(keyId);
  }
}
