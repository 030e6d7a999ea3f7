import { MigrationInterface, QueryRunner } from 'typeorm';
import { createIdempotencyKeys } from '@vantage/persistence';

/** Idempotency-Keys of subscriptions created through the gateway. */
export class IdempotencyKeys1764700000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await createIdempotencyKeys(q, 'notify');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notify.idempotency_keys');
  }
}
