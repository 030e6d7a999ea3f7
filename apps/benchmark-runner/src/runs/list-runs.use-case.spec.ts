import { EntityManager } from 'typeorm';
import { CallerIdentity, ForbiddenError, NotFoundError } from '@vantage/contracts';
import { ListRunsUseCase } from './list-runs.use-case';
import { RunRow } from './run';
import { RunStore } from './run-store';

const tx = {} as EntityManager;
const at = new Date('2026-11-26T00:00:00Z');

function run(id: string, classification: RunRow['classification']): RunRow {
  return {
    id, submission_id: 'sub', suite_id: `suite-${id}`, state: 'running', total: 10, correct: 1, wrong: 1, errored: 0, interrupted: 0, accuracy: null,
    lower_bound: null, upper_bound: null, interval_method: null, canary_known: null, canary_matched: null, canary_errored: null, started_at: at,
    finished_at: null, abort_reason: null, name: id, version: '1', content_hash: 'a'.repeat(64), classification, threshold: null, epochs: 1,
  };
}

function world(grants: string[]) {
  const looked: string[] = [];
  const runs = {
    hasGrant: async (_tx: EntityManager, _sub: string, agency: string) => (looked.push(agency), grants.includes(agency)),
    runsOf: async () => [run('open', 'unclassified'), run('secret', 'secret')],
  };
  return { useCase: new ListRunsUseCase(runs as unknown as RunStore), looked };
}

const ids = async (p: Promise<{ items: { runId: string }[] }>) => (await p).items.map((r) => r.runId);

describe('ListRunsUseCase (unit)', () => {
  it('shows operators every run', async () => {
    const w = world([]);
    expect(await ids(w.useCase.execute({ caller: { kind: 'operator', orgId: 'op' }, submissionId: 'sub' }, tx))).toEqual(['open', 'secret']);
    expect(w.looked).toEqual([]);
  });

  it('shows a granted agency the runs of the suites its clearance covers', async () => {
    const w = world(['agency']);
    const caller: CallerIdentity = { kind: 'agency', orgId: 'agency', clearance: 'unclassified' };
    expect(await ids(w.useCase.execute({ caller, submissionId: 'sub' }, tx))).toEqual(['open']);
    expect(await ids(w.useCase.execute({ caller: { ...caller, clearance: 'top-secret' }, submissionId: 'sub' }, tx))).toEqual(['open', 'secret']);
  });

  it('does not find the submission for an agency without a grant', async () => {
    const w = world(['another']);
    await expect(w.useCase.execute({ caller: { kind: 'agency', orgId: 'agency', clearance: 'top-secret' }, submissionId: 'sub' }, tx))
      .rejects.toThrow(NotFoundError);
  });

  it('forbids labs and the clearinghouse', async () => {
    const w = world([]);
    for (const kind of ['lab', 'clearinghouse'] as const) {
      await expect(w.useCase.execute({ caller: { kind, orgId: 'org' }, submissionId: 'sub' }, tx)).rejects.toThrow(ForbiddenError);
    }
    expect(w.looked).toEqual([]);
  });
});
