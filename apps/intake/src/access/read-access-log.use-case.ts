// The lab reads who used its model through the gateway, and when (an operator reads any model's).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { SubmissionStore } from '../submissions/submission-store';
import { AccessLogStore, AccessRecord } from './access-log-store';

export interface ReadAccessLogCommand {
  caller: CallerIdentity;
  submissionId: string;
  /** 200 when absent. */
  limit?: number;
}

@Injectable()
export class ReadAccessLogUseCase implements UseCase<ReadAccessLogCommand, Omit<AccessRecord, 'submissionId'>[]> {
  constructor(
    private readonly submissions: SubmissionStore,
    private readonly accessLog: AccessLogStore,
  ) {}

  async execute(command: ReadAccessLogCommand, tx: EntityManager): Promise<Omit<AccessRecord, 'submissionId'>[]> {
    await this.submissions.requireVisible(tx, command.submissionId, command.caller);
    return this.accessLog.newest(tx, command.submissionId, command.limit ?? 200);
  }
}
