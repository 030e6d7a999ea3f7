// The gateway's read model of windows and grants (kept from the scheduler's events), and what it says of one
// agency's access to one submission.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessStanding } from './brokered-access';

export type WindowState = 'scheduled' | 'open' | 'closed' | 'cancelled';
export type GrantState = 'active' | 'revoked';

@Injectable()
export class AccessStore {
  /** A new window (a repeat of its event changes nothing). */
  async recordScheduled(tx: EntityManager, w: { submissionId: string; agencies: string[] | null; closesAt: string; at: string }): Promise<void> {
    await tx.query(
      `INSERT INTO access_windows (submission_id, state, agencies, closes_at, updated_at) VALUES ($1, 'scheduled', $2::jsonb, $3, $4)
       ON CONFLICT (submission_id) DO NOTHING`,
      [w.submissionId, w.agencies ? JSON.stringify(w.agencies) : null, w.closesAt, w.at],
    );
  }

  async recordClosesAt(tx: EntityManager, submissionId: string, closesAt: string, at: string): Promise<void> {
    await tx.query('UPDATE access_windows SET closes_at = $2, updated_at = $3 WHERE submission_id = $1', [submissionId, closesAt, at]);
  }

  /** Sets a window's state; false when the window is not in the read model (yet). */
  async recordWindowState(tx: EntityManager, submissionId: string, state: WindowState, at: string): Promise<boolean> {
    const [{ n }] = await tx.query(
      'WITH u AS (UPDATE access_windows SET state = $2, updated_at = $3 WHERE submission_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM u',
      [submissionId, state, at],
    );
    return n > 0;
  }

  async revokeGrants(tx: EntityManager, submissionId: string, at: string): Promise<void> {
    await tx.query(`UPDATE access_grants SET state = 'revoked', updated_at = $2 WHERE submission_id = $1`, [submissionId, at]);
  }

  async recordGrant(tx: EntityManager, g: { submissionId: string; agencyId: string; state: GrantState; at: string }): Promise<void> {
    await tx.query(
      `INSERT INTO access_grants (submission_id, agency_id, state, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (submission_id, agency_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [g.submissionId, g.agencyId, g.state, g.at],
    );
  }

  /** The submission, its window and this agency's grant; undefined when there is no such submission. */
  async standing(tx: EntityManager, submissionId: string, agencyId: string): Promise<AccessStanding | undefined> {
    const [row]: { status: string; window_state: string | null; agencies: string[] | null; grant_state: string | null }[] = await tx.query(
      `SELECT s.status, w.state AS window_state, w.agencies, g.state AS grant_state
       FROM submissions s
       LEFT JOIN access_windows w ON w.submission_id = s.id
       LEFT JOIN access_grants g ON g.submission_id = s.id AND g.agency_id = $2
       WHERE s.id = $1`,
      [submissionId, agencyId],
    );
    return row && { submissionStatus: row.status, windowState: row.window_state, agencies: row.agencies, grantState: row.grant_state };
  }
}
