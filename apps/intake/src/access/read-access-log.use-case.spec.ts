import { EntityManager } from 'typeorm';
import { CallerIdentity, NotFoundError } from '@vantage/contracts';
import { SubmissionStore } from '../submissions/submission-store';
import { AccessLogStore } from './access-log-store';
import { ReadAccessLogUseCase } from './read-access-log.use-case';

const tx = {} as EntityManager;

function setUp() {
  const asked: [string, number][] = [];
  const entries = [{ agencyId: 'a1', at: new Date('2026-11-26T12:00:00Z'), status: 200, latencyMs: 5, stream: true }];
  const submissions = {
    requireVisible: async (_tx: EntityManager, id: string, caller: CallerIdentity) => {
      if (caller.kind !== 'operator' && caller.orgId !== 'lab-1') throw new NotFoundError('submission');
      return { id, labId: 'lab-1' };
    },
  };
  const accessLog = {
    newest: async (_tx: EntityManager, submissionId: string, limit: number) => {
      asked.push([submissionId, limit]);
      return entries;
    },
  };
  return { useCase: new ReadAccessLogUseCase(submissions as unknown as SubmissionStore, accessLog as unknown as AccessLogStore), asked, entries };
}

describe('ReadAccessLogUseCase', () => {
  it("reads the newest calls to the lab's own model, 200 by default", async () => {
    const { useCase, asked, entries } = setUp();
    expect(await useCase.execute({ caller: { orgId: 'lab-1', kind: 'lab' }, submissionId: 's1' }, tx)).toBe(entries);
    await useCase.execute({ caller: { orgId: 'op', kind: 'operator' }, submissionId: 's1', limit: 3 }, tx);
    expect(asked).toEqual([['s1', 200], ['s1', 3]]);
  });

  it("does not find another lab's model, and reads nothing of its log", async () => {
    const { useCase, asked } = setUp();
    await expect(useCase.execute({ caller: { orgId: 'lab-2', kind: 'lab' }, submissionId: 's1' }, tx)).rejects.toMatchObject({ status: 404 });
    expect(asked).toEqual([]);
  });
});
