// A lab's model enters the programme: the submission is stored (credential sealed) and
// `submission.received` is recorded in the same transaction.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { Audience, FieldProblem, RuleViolationError, SubmissionReceived } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { EventOutbox } from '@vantage/messaging';
import { DestinationPolicy } from '@vantage/outbound';
import { Submission } from './submission.entity';

export interface ReceiveSubmissionCommand {
  labId: string;
  model: { name: string; version: string };
  plannedReleaseAt: Date;
  earliestAccessAt?: Date;
  endpoint: { baseUrl: string; modelId: string; apiKey: string };
  declaredTrainingFlop?: number;
  agencies?: string[];
}

const MAX_HORIZON_MS = 5 * 365 * 24 * 3600 * 1000;

@Injectable()
export class ReceiveSubmissionUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly destinations: DestinationPolicy,
  ) {}

  async execute(command: ReceiveSubmissionCommand, tx?: EntityManager): Promise<Submission> {
    if (!tx) return this.dataSource.transaction((t) => this.execute(command, t));
    const now = this.clock.now();
    const problems: FieldProblem[] = [];
    if (command.plannedReleaseAt.getTime() <= now.getTime()) problems.push({ field: 'plannedReleaseAt', message: 'must be in the future' });
    if (command.plannedReleaseAt.getTime() > now.getTime() + MAX_HORIZON_MS) problems.push({ field: 'plannedReleaseAt', message: 'must be within 5 years' });
    if (command.earliestAccessAt && command.earliestAccessAt.getTime() >= command.plannedReleaseAt.getTime()) {
      problems.push({ field: 'earliestAccessAt', message: 'must be before plannedReleaseAt' });
    }
    // The lab's endpoint is resolved now, so that a lab learns at once that Vantage will not call it; it is judged
    // again on every call (its DNS answer may change).
    const endpointProblem = await this.destinations.problem(command.endpoint.baseUrl, 'endpoint.baseUrl');
    if (endpointProblem) problems.push(endpointProblem);
    if (command.agencies?.length) {
      const known: { id: string }[] = await tx.query(`SELECT id FROM organisations WHERE kind = 'agency' AND id = ANY($1::uuid[])`, [command.agencies]);
      const ids = new Set(known.map((k) => k.id));
      command.agencies.forEach((a, i) => {
        if (!ids.has(a)) problems.push({ field: `agencies[${i}]`, message: 'is not an agency in the programme' });
      });
    }
    if (problems.length) throw new RuleViolationError('submission_rejected', problems.map((p) => `${p.field} ${p.message}`).join('; '), problems);

    const id = uuidv7({ msecs: now.getTime() });
    const submission: Submission = Object.assign(new Submission(), {
      id,
      labId: command.labId,
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
    });
    // A plain parameterised statement: this is the gateway's busiest write, and the query builder costs more than it.
    await tx.query(
      `INSERT INTO submissions (id, lab_id, model_name, model_version, planned_release_at, earliest_access_at, declared_training_flop,
         agencies, endpoint_base_url, endpoint_model_id, endpoint_api_key, status, released_at, withdrawn_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, NULL, NULL, $13, $13)`,
      [
        submission.id, submission.labId, submission.modelName, submission.modelVersion, submission.plannedReleaseAt, submission.earliestAccessAt,
        submission.declaredTrainingFlop, submission.agencies ? JSON.stringify(submission.agencies) : null, submission.endpointBaseUrl,
        submission.endpointModelId, submission.endpointApiKeySealed, submission.status, now,
      ],
    );
    await this.outbox.record(tx, SubmissionReceived, {
      subject: id,
      audience: Audience.operatorsAnd([command.labId]),
      data: {
        submissionId: id,
        labId: command.labId,
        model: command.model,
        plannedReleaseAt: command.plannedReleaseAt.toISOString(),
        earliestAccessAt: command.earliestAccessAt?.toISOString(),
        declaredTrainingFlop: command.declaredTrainingFlop,
        agencies: command.agencies,
        receivedAt: now.toISOString(),
      },
    });
    return submission;
  }
}
