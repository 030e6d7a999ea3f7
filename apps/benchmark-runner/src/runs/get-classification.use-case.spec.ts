import { EntityManager } from 'typeorm';
import { CallerIdentity, NotFoundError } from '@vantage/contracts';
import { SubmissionStore } from '../submissions/submission-store';
import { RecordedDecision, RESTRICTED_SUITE_LINE } from './decision-visibility';
import { GetClassificationUseCase } from './get-classification.use-case';
import { RunStore } from './run-store';

const tx = {} as EntityManager;
const secretLine = 'suite secret@1: 95% lower bound (wilson) 0.9000 >= threshold 0.7';
const decision: RecordedDecision = {
  submissionId: 'sub', frontier: true, policyVersion: 'p', basis: [secretLine], computeBasis: [], decidedAt: new Date('2026-11-26T00:00:00Z'),
  suites: [{ suiteId: 's', name: 'secret', version: '1', contentHash: 'b'.repeat(64), classification: 'secret', basis: secretLine }],
  compute: { frontierAtFlop: 1e26 },
};

function world(opts: { decided?: boolean; grants?: string[]; known?: boolean } = {}) {
  const runs = {
    hasGrant: async (_tx: EntityManager, _sub: string, agency: string) => (opts.grants ?? []).includes(agency),
    decision: async () => (opts.decided === false ? undefined : decision),
  };
  const submissions = { load: async () => (opts.known === false ? undefined : { labId: 'lab', declaredTrainingFlop: null }) };
  return new GetClassificationUseCase(runs as unknown as RunStore, submissions as unknown as SubmissionStore);
}

const get = (caller: CallerIdentity, opts?: Parameters<typeof world>[0]) => world(opts).execute({ caller, submissionId: 'sub' }, tx);

describe('GetClassificationUseCase (unit)', () => {
  it('shows the owning lab the decision without its suites', async () => {
    const seen = await get({ kind: 'lab', orgId: 'lab' });
    expect(seen).toMatchObject({ submissionId: 'sub', frontier: true, basis: [RESTRICTED_SUITE_LINE], suites: [] });
  });

  it('shows a granted agency the suites its clearance covers, and operators all', async () => {
    expect((await get({ kind: 'agency', orgId: 'ag', clearance: 'secret' }, { grants: ['ag'] })).basis).toEqual([secretLine]);
    expect((await get({ kind: 'agency', orgId: 'ag', clearance: 'cui' }, { grants: ['ag'] })).suites).toEqual([]);
    expect((await get({ kind: 'operator', orgId: 'op' })).suites).toEqual(decision.suites);
  });

  it('does not find it for another lab, an agency without a grant, or a submission it does not know', async () => {
    await expect(get({ kind: 'lab', orgId: 'other' })).rejects.toThrow(NotFoundError);
    await expect(get({ kind: 'agency', orgId: 'ag', clearance: 'top-secret' }, { grants: ['x'] })).rejects.toThrow(NotFoundError);
    await expect(get({ kind: 'clearinghouse', orgId: 'ch' })).rejects.toThrow(NotFoundError);
    await expect(get({ kind: 'lab', orgId: 'lab' }, { known: false })).rejects.toThrow(NotFoundError);
  });

  it('does not find it until decided', async () => {
    await expect(get({ kind: 'operator', orgId: 'op' }, { decided: false })).rejects.toThrow(NotFoundError);
  });
});
