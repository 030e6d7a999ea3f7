// What the scheduler does with intake's events: a window per submission, the lab's moves applied at once, and its
// own list of the programme's agencies. Each event is one use case, in the consumer's transaction.
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  EventEnvelope, OrganisationCreated, OrganisationCreatedV1, SubmissionReceived, SubmissionReceivedV1, SubmissionReleased,
  SubmissionReleasedV1, SubmissionRescheduled, SubmissionRescheduledV1, SubmissionWithdrawn, SubmissionWithdrawnV1,
} from '@vantage/contracts';
import { ConsumeEvent } from '@vantage/messaging';
import { EndWindowUseCase } from './end-window.use-case';
import { RecordAgencyUseCase } from './record-agency.use-case';
import { RescheduleWindowUseCase } from './reschedule-window.use-case';
import { ScheduleWindowUseCase } from './schedule-window.use-case';

const PURPOSE = 'intake-events';

@Injectable()
export class WindowsHandlers {
  private readonly log = new Logger(WindowsHandlers.name);

  constructor(
    private readonly scheduleWindow: ScheduleWindowUseCase,
    private readonly rescheduleWindow: RescheduleWindowUseCase,
    private readonly endWindow: EndWindowUseCase,
    private readonly recordAgency: RecordAgencyUseCase,
  ) {}

  @ConsumeEvent(SubmissionReceived, { purpose: PURPOSE })
  async onReceived(event: EventEnvelope<SubmissionReceivedV1>, tx: EntityManager): Promise<void> {
    await this.scheduleWindow.execute({ submission: event.data }, tx);
    this.log.log({ submissionId: event.data.submissionId }, 'recorded submission');
  }

  @ConsumeEvent(SubmissionRescheduled, { purpose: PURPOSE })
  async onRescheduled(event: EventEnvelope<SubmissionRescheduledV1>, tx: EntityManager): Promise<void> {
    await this.rescheduleWindow.execute({ submissionId: event.data.submissionId, plannedReleaseAt: new Date(event.data.plannedReleaseAt) }, tx);
  }

  @ConsumeEvent(SubmissionWithdrawn, { purpose: PURPOSE })
  async onWithdrawn(event: EventEnvelope<SubmissionWithdrawnV1>, tx: EntityManager): Promise<void> {
    await this.endWindow.execute({ submissionId: event.data.submissionId, reason: 'withdrawn' }, tx);
  }

  @ConsumeEvent(SubmissionReleased, { purpose: PURPOSE })
  async onReleased(event: EventEnvelope<SubmissionReleasedV1>, tx: EntityManager): Promise<void> {
    await this.endWindow.execute({ submissionId: event.data.submissionId, reason: 'released' }, tx);
  }

  @ConsumeEvent(OrganisationCreated, { purpose: PURPOSE })
  async onOrganisation(event: EventEnvelope<OrganisationCreatedV1>, tx: EntityManager): Promise<void> {
    await this.recordAgency.execute({ organisation: event.data }, tx);
  }
}
