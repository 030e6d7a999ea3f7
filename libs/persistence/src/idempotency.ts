// Idempotency-Key for calls that create things (API.md), the one way for every service: the first answer for
// (organisation, key) is kept in the transaction that creates the thing; the same key with the same request gets
// that answer again, with another request a 409. A concurrent repeat waits on the key's row lock until the first
// commits, then replays its answer. Each service keeps its keys in its own `idempotency_keys` table
// (createIdempotencyKeys and indexIdempotencyKeysByAge in a migration).
//
// A key lives IDEMPOTENCY_KEY_TTL_HOURS (24 h by default, as Stripe's): long enough for any client's retries, short
// enough that a stored answer, some of which open a secret (an API key at issuance), is not kept for ever. A key
// older than that is new again: the call runs as if it had never been seen, and its old answer is never replayed.
// Expired rows are deleted in bounded statements (IdempotencyKeys.purgeExpired, run by every service).
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
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

/** Expired keys deleted per statement, and statements per purge. */
const PURGE_BATCH = 1000;
const PURGE_ROUNDS = 20;

/** A service's Idempotency-Keys under its retention (one instance per service, from its configuration). */
export class IdempotencyKeys {
  constructor(
    /** How long a key's answer is replayed. */
    readonly ttlMs: number,
  ) {
    if (!(ttlMs > 0)) throw new Error('an Idempotency-Key must live some time');
  }

  /** Runs `work` inside `tx` once per live claim; without a claim, just runs it. `now` is the caller's clock. */
  async run<T>(tx: EntityManager, claim: IdempotencyClaim | undefined, now: Date, work: () => Promise<T>): Promise<IdempotentResult<T>> {
    if (!claim) return { body: await work(), replayed: false };
    // A new key, or an expired one taken over as new (its old answer is dropped), is this call's to answer. A live
    // one is left as it is, but locked, so a repeat made while the first is still open waits for its answer.
    const claimed = await tx.query(
      `INSERT INTO idempotency_keys AS k (org_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = EXCLUDED.created_at, response = NULL
         WHERE k.created_at <= $5
       RETURNING key`,
      [claim.orgId, claim.key, claim.requestHash, now, this.expiredAt(now)],
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

  /**
   * Deletes expired keys with their answers, oldest first, in statements of a bounded size (by the age index), and
   * skips rows a call holds. Returns how many it deleted; stops after a bounded number of statements (the next
   * purge goes on).
   */
  async purgeExpired(db: DataSource | EntityManager, now: Date): Promise<number> {
    let purged = 0;
    for (let round = 0; round < PURGE_ROUNDS; round++) {
      // TypeORM answers a DELETE with [rows, count].
      const [, deleted]: [unknown, number] = await db.query(
        `DELETE FROM idempotency_keys WHERE (org_id, key) IN (
           SELECT org_id, key FROM idempotency_keys WHERE created_at <= $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [this.expiredAt(now), PURGE_BATCH],
      );
      purged += deleted;
      if (deleted < PURGE_BATCH) break;
    }
    return purged;
  }

  private expiredAt(now: Date): Date {
    return new Date(now.getTime() - this.ttlMs);
  }
}

/** The table IdempotencyKeys keeps keys in, for a service's migration (then indexIdempotencyKeysByAge). */
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

/** The index that lets expired keys be found and deleted a bounded batch at a time. */
export async function indexIdempotencyKeysByAge(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`CREATE INDEX idempotency_keys_age ON "${schema}".idempotency_keys (created_at)`);
}
