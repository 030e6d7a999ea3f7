// The gateway's read model of windows and grants, kept from the scheduler's events. Every brokered call
// checks it, so access follows the scheduler within the time an event takes to arrive.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  EventEnvelope, GrantIssued, GrantIssuedV1, GrantRevoked, GrantRevokedV1, WindowCancelled, WindowCancelledV1, WindowClosed,
  WindowClosedV1, WindowOpened, WindowRescheduled, WindowRescheduledV1, WindowScheduled, WindowScheduledV1, WindowTimesV1,
} from '@vantage/contracts';
import { ConsumeEvent } from '@vantage/messaging';
import { ActiveStreams } from './active-streams';

const PURPOSE = 'window-events';

@Injectable()
export class AccessReadModelHandlers {
  constructor(private readonly streams: ActiveStreams) {}

  @ConsumeEvent(WindowScheduled, { purpose: PURPOSE })
  async scheduled(e: EventEnvelope<WindowScheduledV1>, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO access_windows (submission_id, state, agencies, closes_at, updated_at) VALUES ($1, 'scheduled', $2::jsonb, $3, $4)
       ON CONFLICT (submission_id) DO NOTHING`,
      [e.data.submissionId, e.data.agencies ? JSON.stringify(e.data.agencies) : null, e.data.closesAt, e.time],
    );
  }

  @ConsumeEvent(WindowRescheduled, { purpose: PURPOSE })
  async rescheduled(e: EventEnvelope<WindowRescheduledV1>, tx: EntityManager): Promise<void> {
    await tx.query('UPDATE access_windows SET closes_at = $2, updated_at = $3 WHERE submission_id = $1', [e.data.submissionId, e.data.closesAt, e.time]);
  }

  @ConsumeEvent(WindowOpened, { purpose: PURPOSE })
  async opened(e: EventEnvelope<WindowTimesV1>, tx: EntityManager): Promise<void> {
    await this.setState(tx, e.data.submissionId, 'open', e.time);
  }

  @ConsumeEvent(WindowClosed, { purpose: PURPOSE })
  async closed(e: EventEnvelope<WindowClosedV1>, tx: EntityManager): Promise<void> {
    await this.setState(tx, e.data.submissionId, 'closed', e.time);
    await tx.query(`UPDATE access_grants SET state = 'revoked', updated_at = $2 WHERE submission_id = $1`, [e.data.submissionId, e.time]);
    this.streams.cut(e.data.submissionId);
  }

  @ConsumeEvent(WindowCancelled, { purpose: PURPOSE })
  async cancelled(e: EventEnvelope<WindowCancelledV1>, tx: EntityManager): Promise<void> {
    await this.setState(tx, e.data.submissionId, 'cancelled', e.time);
  }

  @ConsumeEvent(GrantIssued, { purpose: PURPOSE })
  async grantIssued(e: EventEnvelope<GrantIssuedV1>, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO access_grants (submission_id, agency_id, state, updated_at) VALUES ($1, $2, 'active', $3)
       ON CONFLICT (submission_id, agency_id) DO UPDATE SET state = 'active', updated_at = EXCLUDED.updated_at`,
      [e.data.submissionId, e.data.agencyId, e.time],
    );
  }

  @ConsumeEvent(GrantRevoked, { purpose: PURPOSE })
  async grantRevoked(e: EventEnvelope<GrantRevokedV1>, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO access_grants (submission_id, agency_id, state, updated_at) VALUES ($1, $2, 'revoked', $3)
       ON CONFLICT (submission_id, agency_id) DO UPDATE SET state = 'revoked', updated_at = EXCLUDED.updated_at`,
      [e.data.submissionId, e.data.agencyId, e.time],
    );
    this.streams.cut(e.data.submissionId, e.data.agencyId);
  }

  private async setState(tx: EntityManager, submissionId: string, state: string, at: string): Promise<void> {
    // A window event can come before the scheduled one is recorded (another replica has it): retry then.
    const [{ n }] = await tx.query(
      'WITH u AS (UPDATE access_windows SET state = $2, updated_at = $3 WHERE submission_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM u',
      [submissionId, state, at],
    );
    if (n === 0) throw new Error(`window ${submissionId} is not in the read model yet`);
  }
}
