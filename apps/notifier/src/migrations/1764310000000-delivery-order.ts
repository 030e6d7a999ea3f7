import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-entity order for each endpoint: a delivery waits while an earlier one about the same entity (the event's
 * subject) is still pending for the same subscription, so a subscriber sees `window.opened` before `window.closed`.
 */
export class DeliveryOrder1764310000000 implements MigrationInterface {
  name = 'DeliveryOrder1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notify.deliveries ADD COLUMN seq bigserial');
    await q.query(`ALTER TABLE notify.deliveries ADD COLUMN entity text NOT NULL DEFAULT ''`);
    await q.query(`UPDATE notify.deliveries SET entity = COALESCE(body::jsonb->>'subject', '')`);
    await q.query(`CREATE INDEX deliveries_entity_order ON notify.deliveries (subscription_id, entity, seq) WHERE status = 'pending' AND NOT replay`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notify.deliveries DROP COLUMN entity, DROP COLUMN seq');
  }
}
