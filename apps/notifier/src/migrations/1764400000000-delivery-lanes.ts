import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lanes leased per endpoint: one replica at a time serves a subscription (`lane_owner` until `lane_until`), so a
 * delivery no longer needs a row update to be claimed. Due deliveries are found in send order straight from an
 * index, so a claim reads a lane's next few rows however long its backlog is. A delivery no longer carries a copy of
 * its event's body: it is read from notify.events, written once per event instead of once per subscriber.
 */
export class DeliveryLanes1764400000000 implements MigrationInterface {
  name = 'DeliveryLanes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notify.subscriptions ADD COLUMN lane_owner uuid, ADD COLUMN lane_until timestamptz');
    await q.query(`CREATE INDEX deliveries_due_in_order ON notify.deliveries (subscription_id, next_attempt_at, seq) WHERE status = 'pending'`);
    await q.query('DROP INDEX notify.deliveries_due');
    await q.query('ALTER TABLE notify.deliveries ALTER COLUMN body DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('UPDATE notify.deliveries d SET body = e.body FROM notify.events e WHERE d.body IS NULL AND e.id = d.event_id');
    await q.query('ALTER TABLE notify.deliveries ALTER COLUMN body SET NOT NULL');
    await q.query(`CREATE INDEX deliveries_due ON notify.deliveries (subscription_id, next_attempt_at) WHERE status = 'pending'`);
    await q.query('DROP INDEX notify.deliveries_due_in_order');
    await q.query('ALTER TABLE notify.subscriptions DROP COLUMN lane_owner, DROP COLUMN lane_until');
  }
}
