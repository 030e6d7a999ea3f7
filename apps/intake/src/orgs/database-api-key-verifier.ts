// Verifies presented API keys against the stored hashes: an indexed lookup, remembered briefly, valid or not
// (ApiKeyCache, which forgets a revoked key before the revocation is answered).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyVerifier, Principal } from '@vantage/auth';
import { apiKeyId, hashApiKey } from '@vantage/crypto';
import { ApiKeyCache } from './api-key-cache';
import { ApiKeyStore } from './api-key-store';

@Injectable()
export class DatabaseApiKeyVerifier extends ApiKeyVerifier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ApiKeyCache,
    private readonly keys: ApiKeyStore,
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
    const principal = (await this.keys.principalOf(this.dataSource.manager, keyHash)) ?? null;
    this.cache.remember(keyHash, principal, ticket);
    return principal ?? undefined;
  }
}
