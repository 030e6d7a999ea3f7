import { EntityManager } from 'typeorm';
import { ListSubmissionsUseCase } from './list-submissions.use-case';
import { encodeCursor } from './submission';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

const tx = {} as EntityManager;
const id = (n: number) => `019abcde-0000-7000-8000-${String(n).padStart(12, '0')}`;

function setUp(count: number) {
  const asked: unknown[] = [];
  const rows = Array.from({ length: count }, (_, i) => ({ id: id(count - i) }) as Submission);
  const submissions = {
    page: async (_tx: EntityManager, opts: { limit: number }) => {
      asked.push(opts);
      return rows.slice(0, opts.limit);
    },
  };
  return { useCase: new ListSubmissionsUseCase(submissions as unknown as SubmissionStore), asked };
}

describe('ListSubmissionsUseCase', () => {
  it("gives a lab its own, one more asked than shown, and a cursor when there is more", async () => {
    const { useCase, asked } = setUp(3);
    const page = await useCase.execute({ caller: { orgId: 'lab-1', kind: 'lab' }, limit: 2, status: 'active' }, tx);
    expect(asked).toEqual([{ labId: 'lab-1', status: 'active', before: undefined, limit: 3 }]);
    expect(page.items.map((s) => s.id)).toEqual([id(3), id(2)]);
    expect(page.nextCursor).toBe(encodeCursor(id(2)));
  });

  it('gives an operator every lab\'s, after the cursor, 50 by default, with no cursor on the last page', async () => {
    const { useCase, asked } = setUp(1);
    const page = await useCase.execute({ caller: { orgId: 'op', kind: 'operator' }, cursor: encodeCursor(id(9)) }, tx);
    expect(asked).toEqual([{ labId: undefined, status: undefined, before: id(9), limit: 51 }]);
    expect(page).toEqual({ items: [{ id: id(1) }] });
  });

  it('refuses a cursor it did not give', async () => {
    await expect(setUp(0).useCase.execute({ caller: { orgId: 'op', kind: 'operator' }, cursor: 'nonsense' }, tx)).rejects.toMatchObject({ status: 400 });
  });
});
