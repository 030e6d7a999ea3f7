import { CaseOpened, CaseSplit, ForbiddenError, RuleViolationError } from '@vantage/contracts';
import { CaseStore } from './case-store';
import { aCase, aFinding, ANALYST, CASE_ID, clock, CRITICAL, freshKeys, LAB, NOW, recordingStore, TX } from './fakes.testing';
import { FindingStore } from './finding-store';
import { SplitCaseUseCase } from './split-case.use-case';

const f1 = aFinding('018f0000-0000-7000-8000-00000000000a', { reporterOrgId: 'org-a' });
const f2 = aFinding('018f0000-0000-7000-8000-00000000000b', {
  reporterOrgId: 'org-b', cwe: 'CWE-79', severity: CRITICAL, reportedAt: new Date('2026-11-05T00:00:00Z'), fingerprint: 'fp-b',
});

function setUp(access = { state: 'triaged' as const, listed: false }) {
  const cases = recordingStore<CaseStore>({
    access: () => access, lockAll: () => new Map([[CASE_ID, aCase()]]), openRelated: () => [CASE_ID], view: (id) => ({ id }) as never,
  });
  const findings = recordingStore<FindingStore>({ ofCase: () => [f1, f2] });
  return { cases, findings, useCase: new SplitCaseUseCase(cases.store, findings.store, clock, freshKeys) };
}

describe('SplitCaseUseCase', () => {
  it('moves the findings into a new triaged case under the same deadline, linked to the source, and announces both', async () => {
    const { cases, findings, useCase } = setUp();
    const view = await useCase.execute({ caseId: CASE_ID, findingIds: [f2.id], note: 'different bug', caller: ANALYST }, TX);
    const [[created]] = cases.called('insert') as [[{ id: string }]];
    expect(view).toEqual({ id: created.id });
    expect(created).toEqual({
      id: created.id, fingerprint: 'fp-b', productKey: 'pkg:npm/acme-search', cwe: 'CWE-79', title: f2.title, state: 'triaged', severity: CRITICAL,
      exploitedInWild: false, reportedAt: f2.reportedAt, deadlineAt: aCase().deadlineAt, updatedAt: NOW,
    });
    expect(findings.called('move')).toEqual([[[f2.id], created.id]]);
    expect(cases.called('grantReporters')).toEqual([[created.id, ['org-b']]]);
    expect(cases.called('shareCoordination')).toEqual([[created.id, CASE_ID]]);
    expect(cases.called('openRelated')).toEqual([['pkg:npm/acme-search', 'CWE-79', created.id, CASE_ID]]);
    expect(cases.called('link')).toEqual([[created.id, [CASE_ID]]]);
    expect(cases.called('scheduleDeadline')).toEqual([[created.id, aCase().deadlineAt, NOW]]);
    expect(cases.called('touch')).toEqual([[CASE_ID, NOW]]);
    expect(cases.called('history')).toEqual([
      [created.id, { from: null, to: 'triaged', actor: ANALYST.orgId, note: `split from ${CASE_ID}: different bug`, at: NOW }],
      [CASE_ID, { from: 'triaged', to: 'triaged', actor: ANALYST.orgId, note: `split 1 findings into ${created.id}: different bug`, at: NOW }],
    ]);
    expect(cases.called('announce')).toEqual([
      [CaseSplit, CASE_ID, {
        caseId: CASE_ID, title: aCase().title, state: 'triaged', newCaseId: created.id, movedFindingIds: [f2.id], note: 'different bug', splitAt: NOW.toISOString(),
      }],
      [CaseOpened, created.id, {
        caseId: created.id, title: f2.title, state: 'triaged', findingId: f2.id, baseSeverity: 'CRITICAL', deadlineAt: aCase().deadlineAt.toISOString(),
        relatedCaseIds: [CASE_ID],
      }],
    ]);
  });

  it('refuses to move every finding, writing nothing', async () => {
    const { cases, findings, useCase } = setUp();
    await expect(useCase.execute({ caseId: CASE_ID, findingIds: [f1.id, f2.id], note: 'n', caller: ANALYST }, TX)).rejects.toThrow(RuleViolationError);
    expect(cases.called('insert')).toEqual([]);
    expect(findings.called('move')).toEqual([]);
  });

  it('refuses someone with need-to-know who is no analyst', async () => {
    await expect(setUp({ state: 'triaged', listed: true }).useCase.execute({ caseId: CASE_ID, findingIds: [f2.id], note: 'n', caller: LAB }, TX))
      .rejects.toThrow(ForbiddenError);
  });
});
