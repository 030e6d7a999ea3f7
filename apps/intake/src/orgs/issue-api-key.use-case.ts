import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { NotFoundError } from '@vantage/contracts';
import { issueApiKey } from '@vantage/crypto';
import { ApiKey } from './api-key.entity';
import { Organisation } from './organisation.entity';

@Injectable()
export class IssueApiKeyUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Returns the key in clear: the caller shows it once. Only its hash is stored. In `tx` when given. */
  async execute(orgId: string, tx: EntityManager = this.dataSource.manager): Promise<{ id: string; key: string; createdAt: Date }> {
    const org = await tx.getRepository(Organisation).findOneBy({ id: orgId });
    if (!org) throw new NotFoundError('organisation');
    const issued = issueApiKey();
    const createdAt = this.clock.now();
    await tx.getRepository(ApiKey).insert({ id: issued.id, orgId, keyHash: issued.hash, createdAt, revokedAt: null });
    return { id: issued.id, key: issued.key, createdAt };
  }
}
