// The worker's one statement: lanes (one per subscription, served by one replica at a time) leased and renewed, and
// each served lane's next due deliveries read, in send order.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ClaimRow {
  subscription_id: string;
  lane_until: Date;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  /** The delivery read; null on a lane's row that comes once with nothing new to send. */
  id: string | null;
  event_id: string | null;
  attempt_count: number | null;
  body: string | null;
}

export interface ClaimRequest {
  /** This replica's name on the lanes it leases. */
  replica: string;
  now: Date;
  /** Deliveries this replica holds already (queued, in flight, being recorded): not to be read again. */
  held: { subscriptionId: string; id: string }[];
  /** The lease a taken or renewed lane gets. */
  leaseUntil: Date;
  /** This replica's own lanes are renewed when their lease ends before this. */
  renewBefore: Date;
  /** How many deliveries a lane may hold. */
  room: number;
}

@Injectable()
export class LaneStore {
  /**
   * Lanes with due work are leased to this replica when free or lapsed, and its own are renewed when half their
   * lease is gone. Then, per lane this replica serves, one row with the lane and one per delivery read: the oldest
   * due ones it does not hold yet, up to its room, skipping any that an earlier pending delivery about the same
   * entity waits before.
   */
  claim(m: EntityManager, r: ClaimRequest): Promise<ClaimRow[]> {
    return m.query(
      `WITH held AS (
         SELECT sid, array_agg(did) AS ids FROM unnest($2::uuid[], $3::uuid[]) AS h(sid, did) GROUP BY sid
       ), taken AS (
         UPDATE notify.subscriptions s SET lane_owner = $4, lane_until = $5
         WHERE s.state = 'active'
           AND CASE WHEN s.lane_owner = $4 THEN s.lane_until < $6 ELSE s.lane_until IS NULL OR s.lane_until <= $1 END
           AND EXISTS (SELECT 1 FROM notify.deliveries d WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= $1)
         RETURNING s.id, s.lane_until
       ), lanes AS (
         SELECT s.id, s.url, s.secret_sealed, s.previous_secret_sealed, s.previous_secret_expires_at,
           COALESCE(t.lane_until, s.lane_until) AS lane_until, COALESCE(h.ids, '{}') AS held
         FROM notify.subscriptions s
         LEFT JOIN taken t ON t.id = s.id
         LEFT JOIN held h ON h.sid = s.id
         WHERE s.state = 'active' AND (t.id IS NOT NULL OR (s.lane_owner = $4 AND s.lane_until > $1))
       )
       SELECT l.id AS subscription_id, l.lane_until, l.url, l.secret_sealed, l.previous_secret_sealed, l.previous_secret_expires_at,
         d.id, d.event_id, d.attempt_count, ev.body
       FROM lanes l
       LEFT JOIN LATERAL (
         SELECT d.id, d.event_id, d.attempt_count FROM notify.deliveries d
         WHERE d.subscription_id = l.id AND d.status = 'pending' AND d.next_attempt_at <= $1
           AND NOT (d.id = ANY(l.held))
           -- Per-entity order: not while an earlier delivery about the same entity is pending for this endpoint.
           AND (d.replay OR NOT EXISTS (
             SELECT 1 FROM notify.deliveries e
             WHERE e.subscription_id = d.subscription_id AND e.entity = d.entity AND e.status = 'pending' AND NOT e.replay AND e.seq < d.seq))
         ORDER BY d.next_attempt_at, d.seq
         LIMIT GREATEST(0, $7 - cardinality(l.held))
       ) d ON true
       -- The body is the event's, kept once in notify.events.
       LEFT JOIN notify.events ev ON ev.id = d.event_id`,
      [r.now, r.held.map((h) => h.subscriptionId), r.held.map((h) => h.id), r.replica, r.leaseUntil, r.renewBefore, r.room],
    );
  }

  /** At shutdown: the replica's lanes go back at once, for another to take without waiting for them to lapse. */
  async handBack(m: EntityManager, replica: string): Promise<void> {
    await m.query('UPDATE notify.subscriptions SET lane_owner = NULL, lane_until = NULL WHERE lane_owner = $1', [replica]);
  }
}
