// The gateway's read model of windows and grants, kept from the scheduler's events. Every brokered call
// checks it, so access follows the scheduler within the time an event takes to arrive.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  EventEnvelope, GrantIssued, GrantIssuedV1, GrantRevoked, GrantRevokedV1, WindowCancelled, WindowCancelledV1, WindowClosed,
  WindowClosedV1, WindowOpened, WindowRescheduled, WindowRescheduledV1, WindowScheduled, WindowScheduledV1, WindowTimesV1,
} from '@vantage/contracts';
import { ConsumeEvent } from '@vantage/messaging';
import { TrackGrantUseCase } from './track-grant.use-case';
import { TrackWindowUseCase } from './track-window.use-case';

const PURPOSE = 'window-events';

@Injectable()
export class AccessReadModelHandlers {
  constructor(
    private readonly trackWindow: TrackWindowUseCase,
    private readonly trackGrant: TrackGrantUseCase,
  ) {}

  @ConsumeEvent(WindowScheduled, { purpose: PURPOSE })
  async scheduled(e: EventEnvelope<WindowScheduledV1>, tx: EntityManager): Promise<void> {
    await this.trackWindow.execute(
      { change: 'scheduled', submissionId: e.data.submissionId, agencies: e.data.agencies ?? null, closesAt: e.data.closesAt, at: e.time },
      tx,
    );
  }

  @ConsumeEvent(WindowRescheduled, { purpose: PURPOSE })
  async rescheduled(e: EventEnvelope<WindowRescheduledV1>, tx: EntityManager): Promise<void> {
    await this.trackWindow.execute({ change: 'rescheduled', submissionId: e.data.submissionId, closesAt: e.data.closesAt, at: e.time }, tx);
  }

  @ConsumeEvent(WindowOpened, { purpose: PURPOSE })
  async opened(e: EventEnvelope<WindowTimesV1>, tx: EntityManager): Promise<void> {
    await this.trackWindow.execute({ change: 'open', submissionId: e.data.submissionId, at: e.time }, tx);
  }

  @ConsumeEvent(WindowClosed, { purpose: PURPOSE })
  async closed(e: EventEnvelope<WindowClosedV1>, tx: EntityManager): Promise<void> {
    await this.trackWindow.execute({ change: 'closed', submissionId: e.data.submissionId, at: e.time }, tx);
  }

  @ConsumeEvent(WindowCancelled, { purpose: PURPOSE })
  async cancelled(e: EventEnvelope<WindowCancelledV1>, tx: EntityManager): Promise<void> {
    await this.trackWindow.execute({ change: 'cancelled', submissionId: e.data.submissionId, at: e.time }, tx);
  }

  @ConsumeEvent(GrantIssued, { purpose: PURPOSE })
  async grantIssued(e: EventEnvelope<GrantIssuedV1>, tx: EntityManager): Promise<void> {
    await this.trackGrant.execute({ submissionId: e.data.submissionId, agencyId: e.data.agencyId, state: 'active', at: e.time }, tx);
  }

  @ConsumeEvent(GrantRevoked, { purpose: PURPOSE })
  async grantRevoked(e: EventEnvelope<GrantRevokedV1>, tx: EntityManager): Promise<void> {
    await this.trackGrant.execute({ submissionId: e.data.submissionId, agencyId: e.data.agencyId, state: 'revoked', at: e.time }, tx);
  }
}
