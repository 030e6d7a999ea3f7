// What the runner does with other services' events: its own copy of submissions (declared compute, owner)
// and grants, a run per active suite when a window opens, and an abort of them when it closes.
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import {
  BenchRunAborted, BenchRunStarted, EventEnvelope, GetSubmissionFacts, GrantIssued, GrantIssuedV1, SubmissionReceived, SubmissionReceivedV1, WindowCancelled,
  WindowCancelledV1, WindowClosed, WindowClosedV1, WindowOpened, WindowTimesV1,
} from '@vantage/contracts';
import { ConsumeEvent, RpcClient } from '@vantage/messaging';
import { SuiteStore } from '../suites/suite-store';
import { RunExecutor } from './run-executor';
import { returned, RunStore } from './run-store';

@Injectable()
export class BenchEventsHandlers {
  private readonly log = new Logger(BenchEventsHandlers.name);

  constructor(
    private readonly suites: SuiteStore,
    private readonly runs: RunStore,
    private readonly executor: RunExecutor,
    private readonly clock: Clock,
    private readonly rpc: RpcClient,
  ) {}

  @ConsumeEvent(SubmissionReceived, { purpose: 'intake-events' })
  async onSubmission(event: EventEnvelope<SubmissionReceivedV1>, tx: EntityManager): Promise<void> {
    const s = event.data;
    await tx.query(
      `INSERT INTO bench.submissions (submission_id, lab_id, declared_training_flop, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (submission_id) DO NOTHING`,
      [s.submissionId, s.labId, s.declaredTrainingFlop ?? null, new Date(s.receivedAt)],
    );
  }

  @ConsumeEvent(GrantIssued, { purpose: 'window-events' })
  async onGrant(event: EventEnvelope<GrantIssuedV1>, tx: EntityManager): Promise<void> {
    await this.runs.recordGrant(tx, event.data.submissionId, event.data.agencyId);
  }

  @ConsumeEvent(WindowOpened, { purpose: 'window-events' })
  async onOpened(event: EventEnvelope<WindowTimesV1>, tx: EntityManager): Promise<void> {
    const submissionId = event.data.submissionId;
    const now = this.clock.now();
    await this.knowSubmission(tx, submissionId);
    for (const suite of await this.suites.activeSuites(tx)) {
      const created: unknown[] = await tx.query(
        `INSERT INTO bench.runs (id, submission_id, suite_id, state, total, started_at) VALUES ($1, $2, $3, 'running', $4, $5)
         ON CONFLICT (submission_id, suite_id) DO NOTHING RETURNING id`,
        [uuidv7({ msecs: now.getTime() }), submissionId, suite.id, suite.item_count * suite.epochs, now],
      );
      if (created.length) await this.runs.publish(tx, BenchRunStarted, (await this.runs.run(tx, (created[0] as { id: string }).id))!);
    }
    // With no active suite the decision rests on declared compute alone, and can be made now.
    await this.runs.decideIfDone(tx, submissionId);
    this.executor.wake();
    this.log.log({ submissionId }, 'runs started');
  }

  /**
   * The decision needs the owner and the declared compute. They come with submission.received, on intake's
   * stream, which may not have been handled yet when the window's stream says it opened; then they are asked
   * of intake (if intake cannot answer, the event is retried later, before any run or decision exists).
   */
  private async knowSubmission(tx: EntityManager, submissionId: string): Promise<void> {
    const [known] = await tx.query('SELECT 1 FROM bench.submissions WHERE submission_id = $1', [submissionId]);
    if (known) return;
    const facts = await this.rpc.request(GetSubmissionFacts, { submissionId });
    await tx.query(
      `INSERT INTO bench.submissions (submission_id, lab_id, declared_training_flop, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (submission_id) DO NOTHING`,
      [facts.submissionId, facts.labId, facts.declaredTrainingFlop ?? null, this.clock.now()],
    );
  }

  @ConsumeEvent(WindowClosed, { purpose: 'window-events' })
  async onClosed(event: EventEnvelope<WindowClosedV1>, tx: EntityManager): Promise<void> {
    await this.abort(tx, event.data.submissionId, `window closed (${event.data.closedReason})`);
  }

  @ConsumeEvent(WindowCancelled, { purpose: 'window-events' })
  async onCancelled(event: EventEnvelope<WindowCancelledV1>, tx: EntityManager): Promise<void> {
    await this.abort(tx, event.data.submissionId, `window cancelled (${event.data.reason})`);
  }

  private async abort(tx: EntityManager, submissionId: string, reason: string): Promise<void> {
    // First, before anything can fail: no model call may start once the close is heard.
    this.executor.abortSubmission(submissionId, reason);
    const aborted = returned<{ id: string }>(await tx.query(
      `UPDATE bench.runs SET state = 'aborted', abort_reason = $2, finished_at = $3, lease_owner = NULL, lease_until = NULL
       WHERE submission_id = $1 AND state = 'running' RETURNING id`,
      [submissionId, reason, this.clock.now()],
    ));
    for (const { id } of aborted) await this.runs.publish(tx, BenchRunAborted, (await this.runs.run(tx, id))!);
    if (aborted.length) await this.runs.decideIfDone(tx, submissionId);
  }
}
