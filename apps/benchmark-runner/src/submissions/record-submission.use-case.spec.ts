import { EntityManager } from 'typeorm';
import { RecordSubmissionUseCase } from './record-submission.use-case';
import { SubmissionStore } from './submission-store';

describe('RecordSubmissionUseCase (unit)', () => {
  it('keeps the owner and the declared compute, as received', async () => {
    const record = jest.fn(async () => undefined);
    const tx = {} as EntityManager;
    const receivedAt = new Date('2026-11-26T00:00:00Z');
    const command = { submissionId: 'sub', labId: 'lab', declaredTrainingFlop: 3e26, receivedAt };
    await new RecordSubmissionUseCase({ record } as unknown as SubmissionStore).execute(command, tx);
    expect(record).toHaveBeenCalledWith(tx, command, receivedAt);
  });
});
