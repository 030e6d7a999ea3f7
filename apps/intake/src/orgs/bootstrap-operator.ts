// The first operator key comes from VANTAGE_BOOTSTRAP_OPERATOR_KEY: at start-up the gateway makes sure
// an operator organisation holds it (stored hashed, like every key). Changing the setting replaces it.
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import { apiKeyId, hashApiKey } from '@vantage/crypto';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';
import { announceKeyChange } from './api-key-cache';

export const BOOTSTRAP_OPERATOR_ORG_ID = '00000000-0000-7000-8000-000000000001';

@Injectable()
export class BootstrapOperator implements OnApplicationBootstrap {
  private readonly log = new Logger(BootstrapOperator.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.VANTAGE_BOOTSTRAP_OPERATOR_KEY;
    if (!key) return;
    const id = apiKeyId(key);
    if (!id) throw new Error('VANTAGE_BOOTSTRAP_OPERATOR_KEY is not a Vantage key (vnt_<id>_<secret>); make one with `npm run admin -- new-key`');
    const now = this.clock.now();
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO organisations (id, name, kind, clearance, created_at) VALUES ($1, 'Programme operators', 'operator', NULL, $2)
         ON CONFLICT (id) DO NOTHING`,
        [BOOTSTRAP_OPERATOR_ORG_ID, now],
      );
      // Revoke an earlier bootstrap key that is no longer configured.
      await tx.query(`UPDATE api_keys SET revoked_at = $2 WHERE org_id = $1 AND id <> $3 AND id LIKE 'bootstrap-%' AND revoked_at IS NULL`, [
        BOOTSTRAP_OPERATOR_ORG_ID, now, `bootstrap-${id}`,
      ]);
      await tx.query(
        `INSERT INTO api_keys (id, org_id, key_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET key_hash = EXCLUDED.key_hash, revoked_at = NULL`,
        [`bootstrap-${id}`, BOOTSTRAP_OPERATOR_ORG_ID, hashApiKey(key), now],
      );
      // Other replicas may remember the key this one replaced.
      await announceKeyChange(tx);
    });
    this.log.log('bootstrap operator key is active');
  }
}
