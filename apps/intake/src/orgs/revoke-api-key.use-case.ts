// An operator revokes an API key: it stops working with the next request. Every gateway replica hears of it when
// the revocation commits (the store's NOTIFY); the adapter that revoked it tells its own replica before answering.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { NotFoundError } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { ApiKeyStore } from './api-key-store';

export interface RevokeApiKeyCommand {
  orgId: string;
  keyId: string;
}

@Injectable()
export class RevokeApiKeyUseCase implements UseCase<RevokeApiKeyCommand> {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: RevokeApiKeyCommand, tx: EntityManager): Promise<void> {
    if (!(await this.keys.find(tx, command.orgId, command.keyId))) throw new NotFoundError('API key');
    await this.keys.revoke(tx, command.keyId, this.clock.now());
  }
}
