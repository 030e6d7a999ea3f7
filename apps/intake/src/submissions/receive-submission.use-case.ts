// A lab's model enters the programme: the submission is stored and `submission.received` is recorded
// in the same transaction.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { Audience, RuleViolationError, SubmissionReceived } from '@vantage/contracts';
import { EventOutbox } from '@vantage/messaging';
import { Submission } from './submission.entity';

export interface ReceiveSubmissionCommand {
  labId: string;
  model: { name: string; version: string };
  plannedReleaseAt: Date;
  earliestAccessAt?: Date;
  declaredTrainingFlop?: number;
  agencies?: string[];
}

@Injectable()
export class ReceiveSubmissionUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
  ) {}

  async execute(command: ReceiveSubmissionCommand): Promise<Submission> {
    const now = this.clock.now();
    if (command.plannedReleaseAt.getTime() <= now.getTime()) {
      throw new RuleViolationError('release_in_past', 'plannedReleaseAt must be in the future', [
        { field: 'plannedReleaseAt', message: 'must be in the future' },
      ]);
    }
    return this.dataSource.transaction(async (tx) => {
      const submission = tx.create(Submission, {
        id: uuidv7({ msecs: now.getTime() }),
        labId: command.labId,
        modelName: command.model.name,
        modelVersion: command.model.version,
        plannedReleaseAt: command.plannedReleaseAt,
        earliestAccessAt: command.earliestAccessAt ?? null,
        declaredTrainingFlop: command.declaredTrainingFlop ?? null,
        agencies: command.agencies ?? null,
        status: 'active',
        createdAt: now,
      });
      await tx.save(submission);
      await this.outbox.record(tx, SubmissionReceived, {
        subject: submission.id,
        audience: Audience.operatorsAnd([submission.labId]),
        data: {
          submissionId: submission.id,
          labId: submission.labId,
          model: command.model,
          plannedReleaseAt: command.plannedReleaseAt.toISOString(),
          earliestAccessAt: command.earliestAccessAt?.toISOString(),
          declaredTrainingFlop: command.declaredTrainingFlop,
          agencies: command.agencies,
          receivedAt: now.toISOString(),
        },
      });
      return submission;
    });
  }
}
