// What the scheduler does with intake's events: a window per submission, the lab's moves applied at once,
// and its own list of the programme's agencies.
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  EventEnvelope, OrganisationCreated, OrganisationCreatedV1, SubmissionReceived, SubmissionReceivedV1, SubmissionReleased,
  SubmissionReleasedV1, SubmissionRescheduled, SubmissionRescheduledV1, SubmissionWithdrawn, SubmissionWithdrawnV1,
} from '@vantage/contracts';
import { ConsumeEvent } from '@vantage/messaging';
import { RecordSubmissionUseCase } from '../submissions/record-submission.use-case';
import { ChangeWindowUseCase } from './change-window.use-case';
import { ScheduleWindowUseCase } from './schedule-window.use-case';
import { AgencyRow } from './window.entity';

const PURPOSE = 'intake-events';

@Injectable()
export class WindowsHandlers {
  private readonly log = new Logger(WindowsHandlers.name);

  constructor(
    private readonly recordSubmission: RecordSubmissionUseCase,
    private readonly scheduleWindow: ScheduleWindowUseCase,
    private readonly changeWindow: ChangeWindowUseCase,
  ) {}

  @ConsumeEvent(SubmissionReceived, { purpose: PURPOSE })
  async onReceived(event: EventEnvelope<SubmissionReceivedV1>, tx: EntityManager): Promise<void> {
    await this.recordSubmission.execute(tx, event.data);
    await this.scheduleWindow.execute(tx, event.data);
    this.log.log({ submissionId: event.data.submissionId }, 'recorded submission');
  }

  @ConsumeEvent(SubmissionRescheduled, { purpose: PURPOSE })
  async onRescheduled(event: EventEnvelope<SubmissionRescheduledV1>, tx: EntityManager): Promise<void> {
    await this.changeWindow.reschedule(tx, event.data.submissionId, new Date(event.data.plannedReleaseAt));
  }

  @ConsumeEvent(SubmissionWithdrawn, { purpose: PURPOSE })
  async onWithdrawn(event: EventEnvelope<SubmissionWithdrawnV1>, tx: EntityManager): Promise<void> {
    await this.changeWindow.end(tx, event.data.submissionId, 'withdrawn');
  }

  @ConsumeEvent(SubmissionReleased, { purpose: PURPOSE })
  async onReleased(event: EventEnvelope<SubmissionReleasedV1>, tx: EntityManager): Promise<void> {
    await this.changeWindow.end(tx, event.data.submissionId, 'released');
  }

  @ConsumeEvent(OrganisationCreated, { purpose: PURPOSE })
  async onOrganisation(event: EventEnvelope<OrganisationCreatedV1>, tx: EntityManager): Promise<void> {
    if (event.data.kind !== 'agency') return;
    await tx.createQueryBuilder().insert().into(AgencyRow)
      .values({ orgId: event.data.orgId, name: event.data.name, clearance: event.data.clearance ?? null, joinedAt: new Date(event.data.createdAt) })
      .orIgnore().execute();
  }
}
