import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, SubmissionReceived, SubmissionReceivedV1 } from '@vantage/contracts';
import { OnEvent } from '@vantage/messaging';
import { RecordSubmissionUseCase } from './record-submission.use-case';

@Injectable()
export class SubmissionsHandlers {
  private readonly log = new Logger(SubmissionsHandlers.name);

  constructor(private readonly recordSubmission: RecordSubmissionUseCase) {}

  @OnEvent(SubmissionReceived, { purpose: 'submissions' })
  async onReceived(event: EventEnvelope<SubmissionReceivedV1>, tx: EntityManager): Promise<void> {
    await this.recordSubmission.execute(tx, event.data);
    this.log.log({ submissionId: event.data.submissionId }, 'recorded submission');
  }
}
