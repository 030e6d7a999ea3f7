import { EntityManager } from 'typeorm';
import { ManualClock } from '@vantage/clock';
import { CallerIdentity } from '@vantage/contracts';
import { ReleaseSubmissionUseCase } from './release-submission.use-case';
import { SubmissionEffect } from './submission';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

const tx = {} as EntityManager;
const lab: CallerIdentity = { orgId: 'lab-1', kind: 'lab' };
const now = new Date('2026-11-26T12:00:00Z');

function setUp(status: Submission['status']) {
  const saved: { s: Submission; effects: SubmissionEffect[] }[] = [];
  const current = { id: 's1', labId: 'lab-1', status, releasedAt: null } as unknown as Submission;
  const submissions = {
    requireVisible: async () => current,
    save: async (_tx: EntityManager, s: Submission, effects: SubmissionEffect[]) => void saved.push({ s, effects }),
  };
  return { useCase: new ReleaseSubmissionUseCase(submissions as unknown as SubmissionStore, new ManualClock(now)), saved, current };
}

describe('ReleaseSubmissionUseCase', () => {
  it('releases now when no moment is given, and records submission.released', async () => {
    const { useCase, saved } = setUp('active');
    const s = await useCase.execute({ caller: lab, id: 's1' }, tx);
    expect(s).toMatchObject({ status: 'released', releasedAt: now, updatedAt: now });
    expect(saved).toEqual([{ s, effects: [{ type: 'released' }] }]);
  });

  it('releases at a moment already past', async () => {
    const { useCase } = setUp('active');
    expect((await useCase.execute({ caller: lab, id: 's1', releasedAt: new Date('2026-11-25T00:00:00Z') }, tx)).releasedAt).toEqual(new Date('2026-11-25T00:00:00Z'));
  });

  it('writes nothing on a second release, and refuses a future moment or a withdrawn submission', async () => {
    const released = setUp('released');
    expect(await released.useCase.execute({ caller: lab, id: 's1' }, tx)).toBe(released.current);
    expect(released.saved).toEqual([]);
    await expect(setUp('active').useCase.execute({ caller: lab, id: 's1', releasedAt: new Date('2026-11-27T00:00:00Z') }, tx)).rejects.toMatchObject({ code: 'release_in_future' });
    await expect(setUp('withdrawn').useCase.execute({ caller: lab, id: 's1' }, tx)).rejects.toMatchObject({ code: 'submission_withdrawn' });
  });
});
