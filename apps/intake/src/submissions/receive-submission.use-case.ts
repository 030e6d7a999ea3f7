// A lab's model enters the programme: the submission is stored (credential sealed) and `submission.received` is
// recorded in the same transaction.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { CallerIdentity } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { DestinationPolicy } from '@vantage/outbound';
import { UseCase } from '@vantage/runtime';
import { OrganisationStore } from '../orgs/organisation-store';
import { receiptProblems, rejectReceipt } from './submission';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

export interface ReceiveSubmissionCommand {
  /** The lab submitting. */
  caller: CallerIdentity;
  model: { name: string; version: string };
  plannedReleaseAt: Date;
  earliestAccessAt?: Date;
  endpoint: { baseUrl: string; modelId: string; apiKey: string };
  declaredTrainingFlop?: number;
  agencies?: string[];
}

@Injectable()
export class ReceiveSubmissionUseCase implements UseCase<ReceiveSubmissionCommand, Submission> {
  constructor(
    private readonly submissions: SubmissionStore,
    private readonly organisations: OrganisationStore,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly destinations: DestinationPolicy,
  ) {}

  async execute(command: ReceiveSubmissionCommand, tx: EntityManager): Promise<Submission> {
    const now = this.clock.now();
    // The lab's endpoint is resolved now, so that a lab learns at once that Vantage will not call it; it is judged
    // again on every call (its DNS answer may change).
    const endpointProblem = await this.destinations.problem(command.endpoint.baseUrl, 'endpoint.baseUrl');
    const knownAgencies = command.agencies?.length ? await this.organisations.agenciesAmong(tx, command.agencies) : new Set<string>();
    const problems = receiptProblems(command, now, endpointProblem, knownAgencies);
    if (problems.length) throw rejectReceipt(problems);

    const id = uuidv7({ msecs: now.getTime() });
    const submission: Submission = {
      id,
      labId: command.caller.orgId,
      modelName: command.model.name,
      modelVersion: command.model.version,
      plannedReleaseAt: command.plannedReleaseAt,
      earliestAccessAt: command.earliestAccessAt ?? null,
      declaredTrainingFlop: command.declaredTrainingFlop ?? null,
      agencies: command.agencies ?? null,
      endpointBaseUrl: command.endpoint.baseUrl,
      endpointModelId: command.endpoint.modelId,
      endpointApiKeySealed: this.secrets.seal(command.endpoint.apiKey, id),
      status: 'active',
      releasedAt: null,
      withdrawnAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.submissions.insert(tx, submission);
    return submission;
  }
}
