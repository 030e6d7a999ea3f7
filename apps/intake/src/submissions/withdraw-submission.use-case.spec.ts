import { EntityManager } from 'typeorm';
import { ManualClock } from '@vantage/clock';
import { CallerIdentity } from '@vantage/contracts';
import { SubmissionEffect } from './submission';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';
import { WithdrawSubmissionUseCase } from './withdraw-submission.use-case';

const tx = {} as EntityManager;
const lab: CallerIdentity = { orgId: 'lab-1', kind: 'lab' };
const now = new Date('2026-11-26T12:00:00Z');

function setUp(status: Submission['status']) {
  const saved: { s: Submission; effects: SubmissionEffect[] }[] = [];
  const current = { id: 's1', labId: 'lab-1', status, withdrawnAt: null } as unknown as Submission;
  const locks: boolean[] = [];
  const submissions = {
    requireVisible: async (_tx: EntityManager, _id: string, _caller: CallerIdentity, opts: { forUpdate?: boolean }) => {
      locks.push(!!opts.forUpdate);
      return current;
    },
    save: async (_tx: EntityManager, s: Submission, effects: SubmissionEffect[]) => void saved.push({ s, effects }),
  };
  return { useCase: new WithdrawSubmissionUseCase(submissions as unknown as SubmissionStore, new ManualClock(now)), saved, current, locks };
}

describe('WithdrawSubmissionUseCase', () => {
  it('withdraws the locked submission and records submission.withdrawn', async () => {
    const { useCase, saved, locks } = setUp('active');
    const s = await useCase.execute({ caller: lab, id: 's1' }, tx);
    expect(locks).toEqual([true]);
    expect(s).toMatchObject({ status: 'withdrawn', withdrawnAt: now });
    expect(saved).toEqual([{ s, effects: [{ type: 'withdrawn' }] }]);
  });

  it('writes nothing when it is already withdrawn', async () => {
    const { useCase, saved, current } = setUp('withdrawn');
    expect(await useCase.execute({ caller: lab, id: 's1' }, tx)).toBe(current);
    expect(saved).toEqual([]);
  });

  it('refuses once released', async () => {
    const { useCase, saved } = setUp('released');
    await expect(useCase.execute({ caller: lab, id: 's1' }, tx)).rejects.toMatchObject({ code: 'submission_released' });
    expect(saved).toEqual([]);
  });
});
