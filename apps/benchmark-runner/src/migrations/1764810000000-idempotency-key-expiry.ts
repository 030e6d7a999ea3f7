import { MigrationInterface, QueryRunner } from 'typeorm';
import { indexIdempotencyKeysByAge } from '@vantage/persistence';

/** Idempotency-Keys expire (IDEMPOTENCY_KEY_TTL_HOURS): found and deleted oldest first, a bounded batch at a time. */
export class IdempotencyKeyExpiry1764810000000 implements MigrationInterface {
  name = 'IdempotencyKeyExpiry1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await indexIdempotencyKeysByAge(q, 'bench');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX bench.idempotency_keys_age');
  }
}
