import { MigrationInterface, QueryRunner } from 'typeorm';
import { createIdempotencyKeys } from '@vantage/persistence';

/** Idempotency-Keys of suites uploaded through the gateway (claimed when the upload is sealed). */
export class IdempotencyKeys1764700000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await createIdempotencyKeys(q, 'bench');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE bench.idempotency_keys');
  }
}
