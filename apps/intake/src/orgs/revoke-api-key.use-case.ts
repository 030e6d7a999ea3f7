import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Clock } from '@vantage/clock';
import { NotFoundError } from '@vantage/contracts';
import { ApiKeyCache } from './api-key-cache';
import { announceKeyChange } from './api-key-changes';
import { ApiKey } from './api-key.entity';
import { KeyStreams } from './key-streams';

@Injectable()
export class RevokeApiKeyUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    /** Absent in the admin command line, which has no cache of its own (the gateways hear the NOTIFY). */
    @Optional() private readonly cache?: ApiKeyCache,
    @Optional() private readonly streams?: KeyStreams,
  ) {}

  /**
   * The key stops working with the next request, and its open streams end: this replica forgets it and ends them
   * before answering, and the others hear of it when the revocation commits.
   */
  async execute(orgId: string, keyId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(ApiKey);
      const key = await repo.findOneBy({ id: keyId, orgId });
      if (!key) throw new NotFoundError('API key');
      await repo.update({ id: keyId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      await announceKeyChange(tx, keyId);
    });
    this.cache?.forget(keyId);
    this.streams?.revoked(keyId);
  }
}
