import { Module } from '@nestjs/common';
import { ApiKeyVerifier } from '@vantage/auth';
import { ApiKeyCache } from './api-key-cache';
import { ApiKeyChanges } from './api-key-changes';
import { ApiKeyStore } from './api-key-store';
import { BootstrapOperator } from './bootstrap-operator';
import { CreateOrganisationUseCase } from './create-organisation.use-case';
import { DatabaseApiKeyVerifier } from './database-api-key-verifier';
import { IssueApiKeyUseCase } from './issue-api-key.use-case';
import { KeyStreams } from './key-streams';
import { OrganisationStore } from './organisation-store';
import { OrgsController } from './orgs.controller';
import { RevokeApiKeyUseCase } from './revoke-api-key.use-case';
import { SetBootstrapKeyUseCase } from './set-bootstrap-key.use-case';

@Module({
  controllers: [OrgsController],
  providers: [
    OrganisationStore, ApiKeyStore, CreateOrganisationUseCase, IssueApiKeyUseCase, RevokeApiKeyUseCase, SetBootstrapKeyUseCase,
    BootstrapOperator, ApiKeyChanges, ApiKeyCache, KeyStreams,
    { provide: ApiKeyVerifier, useClass: DatabaseApiKeyVerifier },
  ],
  exports: [OrganisationStore, ApiKeyVerifier, CreateOrganisationUseCase, IssueApiKeyUseCase, KeyStreams],
})
export class OrgsModule {}
