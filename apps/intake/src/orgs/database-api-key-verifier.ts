// Verifies presented API keys against the stored hashes: an indexed lookup, remembered briefly, valid or not
// (ApiKeyCache, which forgets a revoked key before the revocation is answered).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyVerifier, Principal } from '@vantage/auth';
import { apiKeyId, hashApiKey } from '@vantage/crypto';
import { ApiKeyCache } from './api-key-cache';

@Injectable()
export class DatabaseApiKeyVerifier extends ApiKeyVerifier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ApiKeyCache,
  ) {
    super();
  }

  async verify(presentedKey: string, beforeLookUp?: () => void): Promise<Principal | undefined> {
    if (presentedKey.length > 200 || !apiKeyId(presentedKey)) return undefined;
    const keyHash = hashApiKey(presentedKey);
    const known = this.cache.recall(keyHash);
    if (known !== undefined) return known ?? undefined;
    beforeLookUp?.();
    const ticket = this.cache.ticket();
    const rows: { key_id: string; org_id: string; kind: Principal['kind']; clearance: Principal['clearance'] | null }[] =
      await this.dataSource.query(
        `SELECT k.id AS key_id, o.id AS org_id, o.kind, o.clearance
         FROM api_keys k JOIN organisations o ON o.id = k.org_id
         WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
        [keyHash],
      );
    const row = rows[0];
    const principal: Principal | null = row
      ? { orgId: row.org_id, kind: row.kind, keyId: row.key_id, ...(row.clearance ? { clearance: row.clearance } : {}) }
      : null;
    this.cache.remember(keyHash, principal, ticket);
    return principal ?? undefined;
  }
}
