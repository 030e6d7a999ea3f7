import { EntityManager } from 'typeorm';
import { AccessStore } from './access-store';
import { ActiveStreams } from './active-streams';
import { TrackGrantCommand, TrackGrantUseCase } from './track-grant.use-case';

const tx = {} as EntityManager;
const at = '2026-11-26T12:00:00.000Z';

function setUp() {
  const grants: TrackGrantCommand[] = [];
  const cuts: unknown[][] = [];
  const access = { recordGrant: async (_tx: EntityManager, g: TrackGrantCommand) => void grants.push(g) };
  const streams = { cut: (...args: unknown[]) => void cuts.push(args) };
  return { useCase: new TrackGrantUseCase(access as unknown as AccessStore, streams as unknown as ActiveStreams), grants, cuts };
}

describe('TrackGrantUseCase', () => {
  it('records an issued grant', async () => {
    const { useCase, grants, cuts } = setUp();
    await useCase.execute({ submissionId: 's1', agencyId: 'a1', state: 'active', at }, tx);
    expect(grants).toEqual([{ submissionId: 's1', agencyId: 'a1', state: 'active', at }]);
    expect(cuts).toEqual([]);
  });

  it("records a revoked grant and ends that agency's streams to the model on this replica", async () => {
    const { useCase, grants, cuts } = setUp();
    await useCase.execute({ submissionId: 's1', agencyId: 'a1', state: 'revoked', at }, tx);
    expect(grants).toEqual([{ submissionId: 's1', agencyId: 'a1', state: 'revoked', at }]);
    expect(cuts).toEqual([['s1', 'a1']]);
  });
});
