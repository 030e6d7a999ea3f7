import { EntityManager } from 'typeorm';
import { CallerIdentity, NotFoundError } from '@vantage/contracts';
import { GetSubmissionUseCase } from './get-submission.use-case';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

const tx = {} as EntityManager;

describe('GetSubmissionUseCase', () => {
  const s = { id: 's1', labId: 'lab-1' } as Submission;
  const submissions = {
    requireVisible: async (_tx: EntityManager, id: string, caller: CallerIdentity) => {
      if (id === s.id && (caller.kind === 'operator' || caller.orgId === s.labId)) return s;
      throw new NotFoundError('submission');
    },
  };
  const useCase = new GetSubmissionUseCase(submissions as unknown as SubmissionStore);

  it('reads the submission as the caller may see it', async () => {
    expect(await useCase.execute({ caller: { orgId: 'lab-1', kind: 'lab' }, id: 's1' }, tx)).toBe(s);
    await expect(useCase.execute({ caller: { orgId: 'lab-2', kind: 'lab' }, id: 's1' }, tx)).rejects.toMatchObject({ status: 404 });
  });
});
