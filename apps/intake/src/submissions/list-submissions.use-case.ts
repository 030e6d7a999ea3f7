import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { decodeCursor, encodeCursor } from './submission';
import { Submission, SubmissionStatus } from './submission.entity';
import { SubmissionStore } from './submission-store';

export interface ListSubmissionsCommand {
  caller: CallerIdentity;
  status?: SubmissionStatus;
  limit?: number;
  cursor?: string;
}

export interface SubmissionList {
  items: Submission[];
  nextCursor?: string;
}

/** Newest first: a lab its own, an operator all; the cursor is the last id of the page (ids are time-ordered UUIDv7). */
@Injectable()
export class ListSubmissionsUseCase implements UseCase<ListSubmissionsCommand, SubmissionList> {
  constructor(private readonly submissions: SubmissionStore) {}

  async execute(command: ListSubmissionsCommand, tx: EntityManager): Promise<SubmissionList> {
    const limit = command.limit ?? 50;
    const rows = await this.submissions.page(tx, {
      labId: command.caller.kind === 'operator' ? undefined : command.caller.orgId,
      status: command.status,
      before: command.cursor ? decodeCursor(command.cursor) : undefined,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    return { items, ...(rows.length > limit ? { nextCursor: encodeCursor(items[items.length - 1].id) } : {}) };
  }
}
