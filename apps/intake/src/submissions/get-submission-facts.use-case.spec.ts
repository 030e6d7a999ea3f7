import { EntityManager } from 'typeorm';
import { GetSubmissionFactsUseCase } from './get-submission-facts.use-case';
import { SubmissionFactsRow, SubmissionStore } from './submission-store';

const tx = {} as EntityManager;

describe('GetSubmissionFactsUseCase', () => {
  const rows: Record<string, SubmissionFactsRow> = {
    s1: { id: 's1', labId: 'lab-1', declaredTrainingFlop: 1e25, status: 'active' },
    s2: { id: 's2', labId: 'lab-1', declaredTrainingFlop: null, status: 'released' },
  };
  const useCase = new GetSubmissionFactsUseCase({ facts: async (_tx: EntityManager, id: string) => rows[id] } as unknown as SubmissionStore);

  it('answers the owner, status and declared compute (absent when none was declared)', async () => {
    expect(await useCase.execute({ submissionId: 's1' }, tx)).toEqual({ submissionId: 's1', labId: 'lab-1', declaredTrainingFlop: 1e25, status: 'active' });
    expect(await useCase.execute({ submissionId: 's2' }, tx)).toEqual({ submissionId: 's2', labId: 'lab-1', status: 'released' });
  });

  it('does not find an unknown submission', async () => {
    await expect(useCase.execute({ submissionId: 'nope' }, tx)).rejects.toMatchObject({ status: 404 });
  });
});
