import { EntityManager } from 'typeorm';
import { AccessStore } from './access-store';
import { ActiveStreams } from './active-streams';
import { TrackWindowUseCase, WindowNotYetKnownError } from './track-window.use-case';

const tx = {} as EntityManager;
const at = '2026-11-26T12:00:00.000Z';

function setUp(known = true) {
  const writes: unknown[][] = [];
  const cuts: unknown[][] = [];
  const access = {
    recordScheduled: async (_tx: EntityManager, w: unknown) => void writes.push(['scheduled', w]),
    recordClosesAt: async (_tx: EntityManager, ...args: unknown[]) => void writes.push(['closesAt', ...args]),
    recordWindowState: async (_tx: EntityManager, ...args: unknown[]) => {
      writes.push(['state', ...args]);
      return known;
    },
    revokeGrants: async (_tx: EntityManager, ...args: unknown[]) => void writes.push(['revokeGrants', ...args]),
  };
  const streams = { cut: (...args: unknown[]) => void cuts.push(args) };
  return { useCase: new TrackWindowUseCase(access as unknown as AccessStore, streams as unknown as ActiveStreams), writes, cuts };
}

describe('TrackWindowUseCase', () => {
  it('records a scheduled window with its consenting agencies, and a new close', async () => {
    const { useCase, writes } = setUp();
    await useCase.execute({ change: 'scheduled', submissionId: 's1', agencies: ['a1'], closesAt: '2026-12-20T00:00:00Z', at }, tx);
    await useCase.execute({ change: 'rescheduled', submissionId: 's1', closesAt: '2026-12-24T00:00:00Z', at }, tx);
    expect(writes).toEqual([
      ['scheduled', { submissionId: 's1', agencies: ['a1'], closesAt: '2026-12-20T00:00:00Z', at }],
      ['closesAt', 's1', '2026-12-24T00:00:00Z', at],
    ]);
  });

  it('opens and cancels a window without touching grants or streams', async () => {
    const { useCase, writes, cuts } = setUp();
    await useCase.execute({ change: 'open', submissionId: 's1', at }, tx);
    await useCase.execute({ change: 'cancelled', submissionId: 's1', at }, tx);
    expect(writes).toEqual([['state', 's1', 'open', at], ['state', 's1', 'cancelled', at]]);
    expect(cuts).toEqual([]);
  });

  it('closes a window: every grant revoked and its streams on this replica ended', async () => {
    const { useCase, writes, cuts } = setUp();
    await useCase.execute({ change: 'closed', submissionId: 's1', at }, tx);
    expect(writes).toEqual([['state', 's1', 'closed', at], ['revokeGrants', 's1', at]]);
    expect(cuts).toEqual([['s1']]);
  });

  it('fails (to be retried) when the window is not in the read model yet', async () => {
    const { useCase, writes, cuts } = setUp(false);
    await expect(useCase.execute({ change: 'closed', submissionId: 's1', at }, tx)).rejects.toBeInstanceOf(WindowNotYetKnownError);
    expect(writes).toEqual([['state', 's1', 'closed', at]]);
    expect(cuts).toEqual([]);
  });
});
