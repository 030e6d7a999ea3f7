import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

  /** Returns the key in clear: the caller shows it once. Only its hash is stored. */
  async execute(orgId: string): Promise<{ id: string; key: string; createdAt: Date }> {
    const org = await this.dataSource.getRepository(Organisation).findOneBy({ id: orgId });
    if (!org) throw new NotFoundError('organisation');
    const issued = issueApiKey();
    const createdAt = this.clock.now();
    await this.dataSource.getRepository(ApiKey).insert({ id: issued.id, orgId, keyHash: issued.hash, createdAt, revokedAt: null });
    return { id: issued.id, key: issued.key, createdAt };
  }
}
