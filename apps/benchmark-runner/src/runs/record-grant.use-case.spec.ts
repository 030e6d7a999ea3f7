import { EntityManager } from 'typeorm';
import { RecordedDecision } from './decision-visibility';
import { RecordGrantUseCase } from './record-grant.use-case';
import { RunRow } from './run';
import { RunStore } from './run-store';

const tx = {} as EntityManager;
const decision = { submissionId: 'sub', frontier: true } as RecordedDecision;

function world(opts: { added: boolean; runs: string[]; decision?: RecordedDecision }) {
  const calls: unknown[][] = [];
  const store = {
    lock: async (_tx: EntityManager, id: string) => void calls.push(['lock', id]),
    addGrant: async (_tx: EntityManager, id: string, agency: string) => (calls.push(['addGrant', id, agency]), opts.added),
    runsOf: async () => opts.runs.map((id) => ({ id }) as RunRow),
    publishLate: async (_tx: EntityManager, row: RunRow, agency: string) => void calls.push(['publishLate', row.id, agency]),
    decision: async () => opts.decision,
    publishDecision: async (_tx: EntityManager, d: RecordedDecision, to: unknown) => void calls.push(['publishDecision', d, to]),
  };
  return { useCase: new RecordGrantUseCase(store as unknown as RunStore), calls };
}

describe('RecordGrantUseCase (unit)', () => {
  it('tells an agency granted late where each run stands and the decision, as its own copies', async () => {
    const w = world({ added: true, runs: ['run-1', 'run-2'], decision });
    await w.useCase.execute({ submissionId: 'sub', agencyId: 'agency' }, tx);
    expect(w.calls).toEqual([
      ['lock', 'sub'], ['addGrant', 'sub', 'agency'], ['publishLate', 'run-1', 'agency'], ['publishLate', 'run-2', 'agency'],
      ['publishDecision', decision, { told: ['agency'], granted: ['agency'] }],
    ]);
  });

  it('tells nothing of a decision not made yet', async () => {
    const w = world({ added: true, runs: [] });
    await w.useCase.execute({ submissionId: 'sub', agencyId: 'agency' }, tx);
    expect(w.calls).toEqual([['lock', 'sub'], ['addGrant', 'sub', 'agency']]);
  });

  it('does nothing more for a grant it knew (a redelivery)', async () => {
    const w = world({ added: false, runs: ['run-1'], decision });
    await w.useCase.execute({ submissionId: 'sub', agencyId: 'agency' }, tx);
    expect(w.calls).toEqual([['lock', 'sub'], ['addGrant', 'sub', 'agency']]);
  });
});
