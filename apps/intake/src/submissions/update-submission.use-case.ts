// The lab's self-service on an active submission: reschedule the release and/or change the endpoint or
// its credential. Each change is its own event; none of them asks anyone's approval.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import {
  Audience, CallerIdentity, ConflictError, RuleViolationError, SubmissionCredentialRotated, SubmissionRescheduled,
} from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { EventOutbox } from '@vantage/messaging';
import { DestinationPolicy } from '@vantage/outbound';
import { findVisibleSubmission } from './submission-access';
import { Submission } from './submission.entity';

export interface UpdateSubmissionCommand {
  id: string;
  caller: CallerIdentity;
  plannedReleaseAt?: Date;
  endpoint?: { baseUrl?: string; modelId?: string; apiKey?: string };
}

@Injectable()
export class UpdateSubmissionUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly destinations: DestinationPolicy,
  ) {}

  async execute(command: UpdateSubmissionCommand): Promise<Submission> {
    const endpointFields = Object.entries(command.endpoint ?? {}).filter(([, v]) => v !== undefined);
    if (!command.plannedReleaseAt && endpointFields.length === 0) {
      throw new RuleViolationError('nothing_to_change', 'give plannedReleaseAt or endpoint fields to change', [
        { field: '(body)', message: 'must change plannedReleaseAt or endpoint' },
      ]);
    }
    // Resolved before the transaction opens (no connection held while DNS answers); judged again on every call.
    if (command.endpoint?.baseUrl !== undefined) await this.destinations.assertAllowed(command.endpoint.baseUrl, 'endpoint.baseUrl');
    return this.dataSource.transaction(async (tx) => {
      const s = await findVisibleSubmission(tx, command.id, command.caller, { forUpdate: true });
      if (s.status !== 'active') throw new ConflictError('submission_not_active', `the submission is ${s.status}; it can no longer change`);
      const now = this.clock.now();
      const audience = Audience.operatorsAnd([s.labId]);
      if (command.plannedReleaseAt) {
        if (command.plannedReleaseAt.getTime() <= now.getTime()) {
          throw new RuleViolationError('release_in_past', 'plannedReleaseAt must be in the future', [{ field: 'plannedReleaseAt', message: 'must be in the future' }]);
        }
        if (s.earliestAccessAt && s.earliestAccessAt.getTime() >= command.plannedReleaseAt.getTime()) {
          throw new RuleViolationError('release_before_access', 'plannedReleaseAt must be after earliestAccessAt', [
            { field: 'plannedReleaseAt', message: 'must be after earliestAccessAt' },
          ]);
        }
        const previous = s.plannedReleaseAt;
        s.plannedReleaseAt = command.plannedReleaseAt;
        await this.outbox.record(tx, SubmissionRescheduled, {
          subject: s.id,
          audience,
          data: {
            submissionId: s.id,
            labId: s.labId,
            plannedReleaseAt: s.plannedReleaseAt.toISOString(),
            previousPlannedReleaseAt: previous.toISOString(),
            rescheduledAt: now.toISOString(),
          },
        });
      }
      if (endpointFields.length) {
        const e = command.endpoint!;
        const endpointChanged = (e.baseUrl !== undefined && e.baseUrl !== s.endpointBaseUrl) || (e.modelId !== undefined && e.modelId !== s.endpointModelId);
        if (e.baseUrl !== undefined) s.endpointBaseUrl = e.baseUrl;
        if (e.modelId !== undefined) s.endpointModelId = e.modelId;
        if (e.apiKey !== undefined) s.endpointApiKeySealed = this.secrets.seal(e.apiKey, s.id);
        await this.outbox.record(tx, SubmissionCredentialRotated, {
          subject: s.id,
          audience,
          data: { submissionId: s.id, labId: s.labId, endpointChanged, rotatedAt: now.toISOString() },
        });
      }
      s.updatedAt = now;
      await tx.save(s);
      return s;
    });
  }
}
