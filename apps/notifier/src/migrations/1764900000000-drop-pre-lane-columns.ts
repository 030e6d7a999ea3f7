import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops what only replicas from before delivery lanes (1764400000000) used: a delivery's own claim (`claimed_until`)
 * and its own copy of the event's body (`body`). Since lanes, a claim is the lane's lease and the body is read from
 * notify.events, which has held every event fanned out since deliveries exist (both tables came in one migration and
 * events are never deleted), so nothing is lost. Every replica must run the lanes release or a later one first, as
 * any deployment of the previous release does. The worker's claim loses its branches for such rows.
 */
export class DropPreLaneColumns1764900000000 implements MigrationInterface {
  name = 'DropPreLaneColumns1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ orphans }] = await q.query(
      `SELECT count(*)::int AS orphans FROM notify.deliveries d
       WHERE d.status = 'pending' AND NOT EXISTS (SELECT 1 FROM notify.events e WHERE e.id = d.event_id)`,
    );
    if (orphans > 0) {
      throw new Error(`${orphans} pending deliveries have no event in notify.events to take their body from; not dropping notify.deliveries.body`);
    }
    await q.query('ALTER TABLE notify.deliveries DROP COLUMN claimed_until, DROP COLUMN body');
  }

  async down(q: QueryRunner): Promise<void> {
    // Nullable: the lanes migration's own down copies each body back from notify.events.
    await q.query('ALTER TABLE notify.deliveries ADD COLUMN claimed_until timestamptz, ADD COLUMN body text');
  }
}
