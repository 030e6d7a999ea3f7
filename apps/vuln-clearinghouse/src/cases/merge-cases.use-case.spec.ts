import { CaseMerged, CaseStateChanged, ForbiddenError, NotFoundError, RuleViolationError } from '@vantage/contracts';
import { CaseStore } from './case-store';
import { aCase, ANALYST, CASE_ID, clock, CRITICAL, LAB, NOW, OTHER_ID, recordingStore, TX } from './fakes.testing';
import { FindingStore } from './finding-store';
import { MergeCasesUseCase } from './merge-cases.use-case';

const target = aCase({ deadlineAt: new Date('2027-03-01T00:00:00Z') });
const absorbed = aCase({ id: OTHER_ID, title: 'same bug', state: 'new', deadlineAt: new Date('2027-01-01T00:00:00Z'), severity: CRITICAL });

function setUp(access = { state: 'triaged' as const, listed: false }) {
  const cases = recordingStore<CaseStore>({
    access: () => access, lockAll: () => new Map([[CASE_ID, target], [OTHER_ID, absorbed]]), view: (id) => ({ id }) as never,
  });
  const findings = recordingStore<FindingStore>({ moveAll: () => ['f1', 'f2'] });
  return { cases, findings, useCase: new MergeCasesUseCase(cases.store, findings.store, clock) };
}

describe('MergeCasesUseCase', () => {
  it('moves the findings and coordination, keeps the stricter embargo, closes the absorbed case as a duplicate', async () => {
    const { cases, findings, useCase } = setUp();
    await expect(useCase.execute({ caseId: CASE_ID, absorbedCaseId: OTHER_ID, note: 'same', caller: ANALYST }, TX)).resolves.toEqual({ id: CASE_ID });
    expect(cases.called('lockAll')).toEqual([[[CASE_ID, OTHER_ID]]]);
    expect(findings.called('moveAll')).toEqual([[OTHER_ID, CASE_ID]]);
    expect(cases.called('absorb')).toEqual([[CASE_ID, OTHER_ID]]);
    const embargo = { deadlineAt: absorbed.deadlineAt, exploitedInWild: false, severity: CRITICAL, deadlineMoved: true };
    expect(cases.called('setEmbargo')).toEqual([[CASE_ID, embargo, NOW]]);
    expect(cases.called('rescheduleDeadline')).toEqual([[CASE_ID, absorbed.deadlineAt, NOW]]);
    expect(cases.called('setState')).toEqual([[OTHER_ID, 'duplicate', NOW]]);
    expect(cases.called('endEmbargo')).toEqual([[OTHER_ID]]);
    expect(cases.called('history')).toEqual([
      [OTHER_ID, { from: 'new', to: 'duplicate', actor: ANALYST.orgId, note: `merged into ${CASE_ID}: same`, at: NOW }],
      [CASE_ID, { from: 'triaged', to: 'triaged', actor: ANALYST.orgId, note: `merged ${OTHER_ID} (2 findings): same`, at: NOW }],
    ]);
    expect(cases.called('announce')).toEqual([
      [CaseStateChanged, OTHER_ID, {
        caseId: OTHER_ID, title: 'same bug', state: 'duplicate', from: 'new', note: `merged into ${CASE_ID}: same`, changedAt: NOW.toISOString(),
      }],
      [CaseMerged, CASE_ID, {
        caseId: CASE_ID, title: target.title, state: 'triaged', absorbedCaseId: OTHER_ID, movedFindingIds: ['f1', 'f2'], note: 'same', mergedAt: NOW.toISOString(),
      }],
    ]);
  });

  it('tells a stranger the case does not exist, and refuses someone with need-to-know who is no analyst', async () => {
    await expect(setUp().useCase.execute({ caseId: CASE_ID, absorbedCaseId: OTHER_ID, note: 'n', caller: LAB }, TX)).rejects.toThrow(NotFoundError);
    await expect(setUp({ state: 'triaged', listed: true }).useCase.execute({ caseId: CASE_ID, absorbedCaseId: OTHER_ID, note: 'n', caller: LAB }, TX))
      .rejects.toThrow(ForbiddenError);
  });

  it('refuses a merge into itself before locking anything', async () => {
    const { cases, useCase } = setUp();
    await expect(useCase.execute({ caseId: CASE_ID, absorbedCaseId: CASE_ID, note: 'n', caller: ANALYST }, TX)).rejects.toThrow(RuleViolationError);
    expect(cases.called('lockAll')).toEqual([]);
  });
});
