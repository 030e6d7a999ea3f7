import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CallerIdentity, InputInvalidError } from '@vantage/contracts';
import { Submission, SubmissionStatus } from './submission.entity';

export interface ListSubmissionsQueryCommand {
  caller: CallerIdentity;
  status?: SubmissionStatus;
  limit?: number;
  cursor?: string;
}

/** Newest first; the cursor is the last id of the page (ids are time-ordered UUIDv7). */
@Injectable()
export class ListSubmissionsUseCase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute(q: ListSubmissionsQueryCommand): Promise<{ items: Submission[]; nextCursor?: string }> {
    const limit = q.limit ?? 50;
    const query = this.dataSource.getRepository(Submission).createQueryBuilder('s').orderBy('s.id', 'DESC').limit(limit + 1);
    if (q.caller.kind !== 'operator') query.andWhere('s.lab_id = :labId', { labId: q.caller.orgId });
    if (q.status) query.andWhere('s.status = :status', { status: q.status });
    if (q.cursor) {
      const after = Buffer.from(q.cursor, 'base64url').toString('utf8');
      if (!/^[0-9a-f-]{36}$/.test(after)) throw new InputInvalidError('cursor is not one this API gave', [{ field: 'cursor', message: 'is not valid' }]);
      query.andWhere('s.id < :after', { after });
    }
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    return { items, ...(rows.length > limit ? { nextCursor: Buffer.from(items[items.length - 1].id).toString('base64url') } : {}) };
  }
}
