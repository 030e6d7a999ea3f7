// Submissions as rows: read as the caller may see them, written with the outbox rows of the events that report
// them, in the caller's transaction.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  Audience, CallerIdentity, NotFoundError, SubmissionCredentialRotated, SubmissionReceived, SubmissionReleased, SubmissionRescheduled,
  SubmissionWithdrawn,
} from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { SubmissionEffect, visibleLab } from './submission';
import { Submission, SubmissionStatus } from './submission.entity';

/** What another service may know of a submission without its endpoint. */
export type SubmissionFactsRow = Pick<Submission, 'id' | 'labId' | 'declaredTrainingFlop' | 'status'>;

@Injectable()
export class SubmissionStore {
  constructor(private readonly outbox: EventOutbox) {}

  /** The submission, or undefined; with `labId`, only that lab's. */
  async find(tx: EntityManager, id: string, opts: { labId?: string; forUpdate?: boolean } = {}): Promise<Submission | undefined> {
    const query = tx.getRepository(Submission).createQueryBuilder('s').where('s.id = :id', { id });
    if (opts.labId !== undefined) query.andWhere('s.lab_id = :labId', { labId: opts.labId });
    if (opts.forUpdate) query.setLock('pessimistic_write');
    return (await query.getOne()) ?? undefined;
  }

  /** The submission if the caller may see it (`visibleLab`), optionally locked for a change; otherwise 404. */
  async requireVisible(tx: EntityManager, id: string, caller: CallerIdentity, opts: { forUpdate?: boolean } = {}): Promise<Submission> {
    const lab = visibleLab(caller);
    const submission = lab === undefined ? undefined : await this.find(tx, id, { labId: lab ?? undefined, forUpdate: opts.forUpdate });
    if (!submission) throw new NotFoundError('submission');
    return submission;
  }

  /** Up to `limit` submissions, newest first, older than `before` when given; with `labId`, only that lab's. */
  async page(tx: EntityManager, opts: { labId?: string; status?: SubmissionStatus; before?: string; limit: number }): Promise<Submission[]> {
    const query = tx.getRepository(Submission).createQueryBuilder('s').orderBy('s.id', 'DESC').limit(opts.limit);
    if (opts.labId !== undefined) query.andWhere('s.lab_id = :labId', { labId: opts.labId });
    if (opts.status) query.andWhere('s.status = :status', { status: opts.status });
    if (opts.before) query.andWhere('s.id < :after', { after: opts.before });
    return query.getMany();
  }

  async facts(tx: EntityManager, id: string): Promise<SubmissionFactsRow | undefined> {
    const s = await tx.getRepository(Submission).findOne({
      where: { id },
      select: { id: true, labId: true, declaredTrainingFlop: true, status: true },
    });
    return s ?? undefined;
  }

  /** Stores a new submission and records `submission.received`. */
  async insert(tx: EntityManager, s: Submission): Promise<void> {
    // A plain parameterised statement: this is the gateway's busiest write, and the query builder costs more than it.
    await tx.query(
      `INSERT INTO submissions (id, lab_id, model_name, model_version, planned_release_at, earliest_access_at, declared_training_flop,
         agencies, endpoint_base_url, endpoint_model_id, endpoint_api_key, status, released_at, withdrawn_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, NULL, NULL, $13, $13)`,
      [
        s.id, s.labId, s.modelName, s.modelVersion, s.plannedReleaseAt, s.earliestAccessAt, s.declaredTrainingFlop,
        s.agencies ? JSON.stringify(s.agencies) : null, s.endpointBaseUrl, s.endpointModelId, s.endpointApiKeySealed, s.status, s.createdAt,
      ],
    );
    await this.outbox.record(tx, SubmissionReceived, {
      subject: s.id,
      audience: Audience.operatorsAnd([s.labId]),
      data: {
        submissionId: s.id,
        labId: s.labId,
        model: { name: s.modelName, version: s.modelVersion },
        plannedReleaseAt: s.plannedReleaseAt.toISOString(),
        earliestAccessAt: s.earliestAccessAt?.toISOString(),
        declaredTrainingFlop: s.declaredTrainingFlop ?? undefined,
        agencies: s.agencies ?? undefined,
        receivedAt: s.createdAt.toISOString(),
      },
    });
  }

  /** Writes a changed submission and records one event per effect. */
  async save(tx: EntityManager, s: Submission, effects: SubmissionEffect[], now: Date): Promise<void> {
    const audience = Audience.operatorsAnd([s.labId]);
    for (const effect of effects) {
      switch (effect.type) {
        case 'rescheduled':
          await this.outbox.record(tx, SubmissionRescheduled, {
            subject: s.id,
            audience,
            data: {
              submissionId: s.id,
              labId: s.labId,
              plannedReleaseAt: s.plannedReleaseAt.toISOString(),
              previousPlannedReleaseAt: effect.previousPlannedReleaseAt.toISOString(),
              rescheduledAt: now.toISOString(),
            },
          });
          break;
        case 'credential-rotated':
          await this.outbox.record(tx, SubmissionCredentialRotated, {
            subject: s.id,
            audience,
            data: { submissionId: s.id, labId: s.labId, endpointChanged: effect.endpointChanged, rotatedAt: now.toISOString() },
          });
          break;
        case 'withdrawn':
          await this.outbox.record(tx, SubmissionWithdrawn, {
            subject: s.id,
            audience,
            data: { submissionId: s.id, labId: s.labId, withdrawnAt: s.withdrawnAt!.toISOString() },
          });
          break;
        case 'released':
          await this.outbox.record(tx, SubmissionReleased, {
            subject: s.id,
            audience,
            data: { submissionId: s.id, labId: s.labId, releasedAt: s.releasedAt!.toISOString() },
          });
          break;
      }
    }
    const { id, ...columns } = s;
    await tx.update(Submission, { id }, columns);
  }
}
