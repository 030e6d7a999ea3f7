import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Clock } from '@vantage/clock';
import { NotFoundError } from '@vantage/contracts';
import { ApiKey } from './api-key.entity';

@Injectable()
export class RevokeApiKeyUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The key stops working with the next request: every request looks the key up (no cache). */
  async execute(orgId: string, keyId: string): Promise<void> {
    const repo = this.dataSource.getRepository(ApiKey);
    const key = await repo.findOneBy({ id: keyId, orgId });
    if (!key) throw new NotFoundError('API key');
    await repo.update({ id: keyId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }
}
