// The lab's self-service on an active submission: reschedule the release and/or change the endpoint or its
// credential. Each change is its own event; none of them asks anyone's approval.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { DestinationPolicy } from '@vantage/outbound';
import { UseCase } from '@vantage/runtime';
import { assertSomethingToChange, update } from './submission';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

export interface UpdateSubmissionCommand {
  caller: CallerIdentity;
  id: string;
  plannedReleaseAt?: Date;
  endpoint?: { baseUrl?: string; modelId?: string; apiKey?: string };
}

@Injectable()
export class UpdateSubmissionUseCase implements UseCase<UpdateSubmissionCommand, Submission> {
  constructor(
    private readonly submissions: SubmissionStore,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly destinations: DestinationPolicy,
  ) {}

  async execute(command: UpdateSubmissionCommand, tx: EntityManager): Promise<Submission> {
    assertSomethingToChange(command);
    // A new endpoint is judged now (and again on every call: its DNS answer may change).
    if (command.endpoint?.baseUrl !== undefined) await this.destinations.assertAllowed(command.endpoint.baseUrl, 'endpoint.baseUrl');
    const current = await this.submissions.requireVisible(tx, command.id, command.caller, { forUpdate: true });
    const e = command.endpoint;
    const endpoint = e && {
      baseUrl: e.baseUrl,
      modelId: e.modelId,
      apiKeySealed: e.apiKey === undefined ? undefined : this.secrets.seal(e.apiKey, current.id),
    };
    const now = this.clock.now();
    const { submission, effects } = update(current, { plannedReleaseAt: command.plannedReleaseAt, endpoint }, now);
    await this.submissions.save(tx, submission, effects, now);
    return submission;
  }
}
