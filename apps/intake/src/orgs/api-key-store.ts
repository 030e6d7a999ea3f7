// API keys as rows (an id and a hash; the key itself is shown once and never kept), and the NOTIFY that tells every
// gateway replica, when a change to keys commits, to forget what it remembers of them (ApiKeyChanges).
import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { Principal } from '@vantage/auth';
import { ApiKey } from './api-key.entity';

export const API_KEYS_CHANNEL = 'vantage_api_keys';

@Injectable()
export class ApiKeyStore {
  async insert(tx: EntityManager, key: ApiKey): Promise<void> {
    await tx.getRepository(ApiKey).insert(key);
  }

  /** The organisation's key with this id, revoked or not. */
  async find(tx: EntityManager, orgId: string, keyId: string): Promise<ApiKey | undefined> {
    return (await tx.getRepository(ApiKey).findOneBy({ id: keyId, orgId })) ?? undefined;
  }

  /** Revokes the key (a revoked key keeps its first revocation) and announces the change. */
  async revoke(tx: EntityManager, keyId: string, now: Date): Promise<void> {
    await tx.getRepository(ApiKey).update({ id: keyId, revokedAt: IsNull() }, { revokedAt: now });
    await this.announceChange(tx, keyId);
  }

  /** Who a valid (not revoked) key speaks for, by the hash of its value. */
  async principalOf(tx: EntityManager, keyHash: string): Promise<Principal | undefined> {
    const [row]: { key_id: string; org_id: string; kind: Principal['kind']; clearance: Principal['clearance'] | null }[] = await tx.query(
      `SELECT k.id AS key_id, o.id AS org_id, o.kind, o.clearance
       FROM api_keys k JOIN organisations o ON o.id = k.org_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    return row && { orgId: row.org_id, kind: row.kind, keyId: row.key_id, ...(row.clearance ? { clearance: row.clearance } : {}) };
  }

  /** Which of these key ids are still valid. */
  async validAmong(tx: EntityManager, keyIds: string[]): Promise<Set<string>> {
    const valid: { id: string }[] = await tx.query('SELECT id FROM api_keys WHERE id = ANY($1) AND revoked_at IS NULL', [keyIds]);
    return new Set(valid.map((r) => r.id));
  }

  /** The key with this hash, whoever holds it, revoked or not. */
  async findByHash(tx: EntityManager, keyHash: string): Promise<{ id: string; orgId: string; revoked: boolean } | undefined> {
    const [row]: { id: string; org_id: string; revoked_at: Date | null }[] = await tx.query('SELECT id, org_id, revoked_at FROM api_keys WHERE key_hash = $1', [keyHash]);
    return row && { id: row.id, orgId: row.org_id, revoked: row.revoked_at !== null };
  }

  /** Inserts a key unless it is there already (a replica starting at the same time inserts the same row). */
  async insertIfAbsent(tx: EntityManager, key: Pick<ApiKey, 'id' | 'orgId' | 'keyHash' | 'createdAt'>): Promise<void> {
    await tx.query('INSERT INTO api_keys (id, org_id, key_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
      key.id, key.orgId, key.keyHash, key.createdAt,
    ]);
  }

  /** Revokes the organisation's valid keys whose id starts with `prefix`, but `keep`; answers the ids revoked. */
  async revokeByPrefixExcept(tx: EntityManager, orgId: string, prefix: string, keep: string, now: Date): Promise<string[]> {
    const revoked: { id: string }[] = await tx.query(
      `UPDATE api_keys SET revoked_at = $2
       WHERE org_id = $1 AND id LIKE $4 AND id <> $3 AND revoked_at IS NULL RETURNING id`,
      [orgId, now, keep, `${prefix}%`],
    );
    return revoked.map((r) => r.id);
  }

  /** Tells every gateway replica, when `tx` commits, that a key (or, without an id, any key) changed. */
  async announceChange(tx: EntityManager, keyId?: string): Promise<void> {
    await tx.query('SELECT pg_notify($1, $2)', [API_KEYS_CHANNEL, keyId ?? '']);
  }
}
