// The first operator key comes from VANTAGE_BOOTSTRAP_OPERATOR_KEY. At each start the gateway applies one rule:
//  - the configured key value is the bootstrap key; any other bootstrap key (an earlier value) is revoked;
//  - with the variable unset, every bootstrap key is revoked;
//  - a revoked bootstrap key stays revoked: configuring its value again does not bring it back. A key is its value
//    (its hash), not its id: `npm run admin -- new-key` makes every key with the id `operator`, so a new value under
//    the same id is a new key, and the old value stops working.
// So an operator who has made keys of their own can revoke the bootstrap key through the API (or unset the
// variable) and know it stays dead across restarts. Replicas should be given the same value: a replica started
// with an older value revokes the newer one, for good.
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import { apiKeyId, hashApiKey } from '@vantage/crypto';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';
import { announceKeyChange } from './api-key-changes';

export const BOOTSTRAP_OPERATOR_ORG_ID = '00000000-0000-7000-8000-000000000001';

/** The stored id of a bootstrap key: its own id and a piece of its hash, so that each value has its own row. */
export function bootstrapKeyId(key: string): string {
  return `bootstrap-${apiKeyId(key)}-${hashApiKey(key).slice(0, 12)}`;
}

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
    if (key && !apiKeyId(key)) {
      throw new Error('VANTAGE_BOOTSTRAP_OPERATOR_KEY is not a Vantage key (vnt_<id>_<secret>); make one with `npm run admin -- new-key`');
    }
    const now = this.clock.now();
    const outcome = await this.dataSource.transaction(async (tx) => {
      let current: { id: string; revoked: boolean } | undefined;
      if (key) {
        await tx.query(
          `INSERT INTO organisations (id, name, kind, clearance, created_at) VALUES ($1, 'Programme operators', 'operator', NULL, $2)
           ON CONFLICT (id) DO NOTHING`,
          [BOOTSTRAP_OPERATOR_ORG_ID, now],
        );
        const hash = hashApiKey(key);
        const [known]: { id: string; org_id: string; revoked_at: Date | null }[] = await tx.query(
          'SELECT id, org_id, revoked_at FROM api_keys WHERE key_hash = $1',
          [hash],
        );
        if (known && known.org_id !== BOOTSTRAP_OPERATOR_ORG_ID) {
          throw new Error('VANTAGE_BOOTSTRAP_OPERATOR_KEY is a key issued to an organisation; make a bootstrap key with `npm run admin -- new-key`');
        }
        // Known (revoked or not): left as it is. New: inserted; a replica starting at the same time inserts the same row.
        current = known ? { id: known.id, revoked: known.revoked_at !== null } : { id: bootstrapKeyId(key), revoked: false };
        if (!known) {
          await tx.query('INSERT INTO api_keys (id, org_id, key_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
            current.id, BOOTSTRAP_OPERATOR_ORG_ID, hash, now,
          ]);
        }
      }
      const revoked: { id: string }[] = await tx.query(
        `UPDATE api_keys SET revoked_at = $2
         WHERE org_id = $1 AND id LIKE 'bootstrap-%' AND id <> $3 AND revoked_at IS NULL RETURNING id`,
        [BOOTSTRAP_OPERATOR_ORG_ID, now, current?.id ?? ''],
      );
      // Every replica forgets what it remembers of keys, this one's new key included (it may have refused it).
      await announceKeyChange(tx);
      return { current, revoked: revoked.map((r) => r.id) };
    });
    if (outcome.revoked.length) this.log.warn(`bootstrap operator key(s) ${outcome.revoked.join(', ')} revoked: no longer configured`);
    if (!outcome.current) return;
    if (outcome.current.revoked) {
      this.log.warn(
        `VANTAGE_BOOTSTRAP_OPERATOR_KEY (key ${outcome.current.id}) was revoked and stays revoked; unset it, or set a new key (npm run admin -- new-key)`,
      );
    } else {
      this.log.log(`bootstrap operator key ${outcome.current.id} is active`);
    }
  }
}
