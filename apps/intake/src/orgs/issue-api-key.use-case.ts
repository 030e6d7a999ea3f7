// An operator issues an organisation an API key: returned in clear for the caller to show once; only its hash is kept.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { NotFoundError } from '@vantage/contracts';
import { issueApiKey } from '@vantage/crypto';
import { UseCase } from '@vantage/runtime';
import { ApiKeyStore } from './api-key-store';
import { OrganisationStore } from './organisation-store';

export interface IssueApiKeyCommand {
  orgId: string;
}

export interface IssuedApiKey {
  id: string;
  /** In clear: shown this once. */
  key: string;
  createdAt: Date;
}

@Injectable()
export class IssueApiKeyUseCase implements UseCase<IssueApiKeyCommand, IssuedApiKey> {
  constructor(
    private readonly organisations: OrganisationStore,
    private readonly keys: ApiKeyStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: IssueApiKeyCommand, tx: EntityManager): Promise<IssuedApiKey> {
    if (!(await this.organisations.find(tx, command.orgId))) throw new NotFoundError('organisation');
    const issued = issueApiKey();
    const createdAt = this.clock.now();
    await this.keys.insert(tx, { id: issued.id, orgId: command.orgId, keyHash: issued.hash, createdAt, revokedAt: null });
    return { id: issued.id, key: issued.key, createdAt };
  }
}
