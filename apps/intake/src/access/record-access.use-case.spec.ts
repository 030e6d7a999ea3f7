import { Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessLogStore, AccessRecord } from './access-log-store';
import { RecordAccessUseCase } from './record-access.use-case';

const tx = {} as EntityManager;
const record: AccessRecord = { submissionId: 's1', agencyId: 'a1', at: new Date('2026-11-26T12:00:00Z'), status: 200, latencyMs: 12, stream: false, promptTokens: 3 };

describe('RecordAccessUseCase', () => {
  it('appends the call to the access log', async () => {
    const appended: AccessRecord[] = [];
    await new RecordAccessUseCase({ append: async (_tx: EntityManager, r: AccessRecord) => void appended.push(r) } as unknown as AccessLogStore).execute(record, tx);
    expect(appended).toEqual([record]);
  });

  it('logs an audit it cannot write and does not fail the call', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const failing = { append: async () => Promise.reject(new Error('database away')) };
      await expect(new RecordAccessUseCase(failing as unknown as AccessLogStore).execute(record, tx)).resolves.toBeUndefined();
      expect(error).toHaveBeenCalledWith(expect.stringContaining('could not audit a brokered call to s1: database away'));
    } finally {
      error.mockRestore();
    }
  });
});
