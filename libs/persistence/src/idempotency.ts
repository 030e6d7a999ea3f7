// Idempotency-Key for calls that create things (API.md), the one way for every service: the first answer for
// (organisation, key) is kept in the transaction that creates the thing; the same key with the same request gets
// that answer again, with another request a 409. A concurrent repeat waits on the key's row lock until the first
// commits, then replays its answer. Each service keeps its keys in its own `idempotency_keys` table
// (createIdempotencyKeys in a migration).
import { EntityManager, QueryRunner } from 'typeorm';
import { ConflictError } from '@vantage/contracts';

export interface IdempotencyClaim {
  orgId: string;
  key: string;
  /** A hash of the request, so that a key reused for another request is told apart. */
  requestHash: string;
}

export interface IdempotentResult<T> {
  body: T;
  replayed: boolean;
}

/** Runs `work` inside `tx` once per claim; without a claim, just runs it. */
export async function runIdempotently<T>(tx: EntityManager, claim: IdempotencyClaim | undefined, now: Date, work: () => Promise<T>): Promise<IdempotentResult<T>> {
  if (!claim) return { body: await work(), replayed: false };
  const claimed = await tx.query(
    `INSERT INTO idempotency_keys (org_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key`,
    [claim.orgId, claim.key, claim.requestHash, now],
  );
  if (claimed.length === 0) {
    const [first] = await tx.query('SELECT request_hash, response FROM idempotency_keys WHERE org_id = $1 AND key = $2', [claim.orgId, claim.key]);
    if (first.request_hash !== claim.requestHash) {
      throw new ConflictError('idempotency_key_reused', 'this Idempotency-Key was used with a different request body');
    }
    return { body: first.response as T, replayed: true };
  }
  const body = await work();
  await tx.query('UPDATE idempotency_keys SET response = $3::jsonb WHERE org_id = $1 AND key = $2', [claim.orgId, claim.key, JSON.stringify(body ?? null)]);
  return { body, replayed: false };
}

/** The table runIdempotently keeps keys in, for a service's migration. */
export async function createIdempotencyKeys(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}".idempotency_keys (
      org_id        text        NOT NULL,
      key           text        NOT NULL,
      request_hash  text        NOT NULL,
      response      jsonb,
      created_at    timestamptz NOT NULL,
      PRIMARY KEY (org_id, key)
    )`);
}
