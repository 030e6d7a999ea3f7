// What the runner does with other services' events: its own copy of submissions (declared compute, owner)
// and grants, a run per active suite when a window opens, and an abort of them when it closes.
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  EventEnvelope, GrantIssued, GrantIssuedV1, SubmissionReceived, SubmissionReceivedV1, WindowCancelled, WindowCancelledV1, WindowClosed,
  WindowClosedV1, WindowOpened, WindowTimesV1,
} from '@vantage/contracts';
import { ConsumeEvent } from '@vantage/messaging';
import { RecordSubmissionUseCase } from '../submissions/record-submission.use-case';
import { AbortRunsUseCase } from './abort-runs.use-case';
import { RecordGrantUseCase } from './record-grant.use-case';
import { StartRunsUseCase } from './start-runs.use-case';

@Injectable()
export class BenchEventsHandlers {
  private readonly log = new Logger(BenchEventsHandlers.name);

  constructor(
    private readonly recordSubmission: RecordSubmissionUseCase,
    private readonly recordGrant: RecordGrantUseCase,
    private readonly startRuns: StartRunsUseCase,
    private readonly abortRuns: AbortRunsUseCase,
  ) {}

  @ConsumeEvent(SubmissionReceived, { purpose: 'intake-events' })
  async onSubmission(event: EventEnvelope<SubmissionReceivedV1>, tx: EntityManager): Promise<void> {
    const s = event.data;
    await this.recordSubmission.execute(
      { submissionId: s.submissionId, labId: s.labId, declaredTrainingFlop: s.declaredTrainingFlop, receivedAt: new Date(s.receivedAt) }, tx,
    );
  }

  @ConsumeEvent(GrantIssued, { purpose: 'window-events' })
  async onGrant(event: EventEnvelope<GrantIssuedV1>, tx: EntityManager): Promise<void> {
    await this.recordGrant.execute({ submissionId: event.data.submissionId, agencyId: event.data.agencyId }, tx);
  }

  @ConsumeEvent(WindowOpened, { purpose: 'window-events' })
  async onOpened(event: EventEnvelope<WindowTimesV1>, tx: EntityManager): Promise<void> {
    await this.startRuns.execute({ submissionId: event.data.submissionId }, tx);
    this.log.log({ submissionId: event.data.submissionId }, 'runs started');
  }

  @ConsumeEvent(WindowClosed, { purpose: 'window-events' })
  async onClosed(event: EventEnvelope<WindowClosedV1>, tx: EntityManager): Promise<void> {
    await this.abortRuns.execute({ submissionId: event.data.submissionId, reason: `window closed (${event.data.closedReason})` }, tx);
  }

  @ConsumeEvent(WindowCancelled, { purpose: 'window-events' })
  async onCancelled(event: EventEnvelope<WindowCancelledV1>, tx: EntityManager): Promise<void> {
    await this.abortRuns.execute({ submissionId: event.data.submissionId, reason: `window cancelled (${event.data.reason})` }, tx);
  }
}
