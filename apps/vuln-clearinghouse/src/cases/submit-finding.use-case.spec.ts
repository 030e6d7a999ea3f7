import { EntityManager } from 'typeorm';
import { CaseDuplicateFound, CaseOpened, ForbiddenError, RuleViolationError, SubmitFindingRequest } from '@vantage/contracts';
import { IdempotencyKeys } from '@vantage/persistence';
import { CaseStore } from './case-store';
import { AGENCY, clock, freshKeys, NOW, OPERATOR, recordingStore, TX } from './fakes.testing';
import { FindingStore } from './finding-store';
import { SubmitFindingUseCase } from './submit-finding.use-case';
import { VendorStore } from './vendor-store';

const REPORT: SubmitFindingRequest = {
  title: 'SQL injection in search', description: 'd', affected: [{ purl: 'pkg:npm/acme-search@1.2.3' }], cwe: 'CWE-89',
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', location: { file: 'src/search.ts' }, proofOfConcept: 'curl …', exploitedInWild: true,
};

function setUp(open?: { id: string; title: string; state: 'triaged' }, keys: IdempotencyKeys = freshKeys) {
  const cases = recordingStore<CaseStore>({ openCaseWithFingerprint: () => open, openRelated: () => ['c-near'] });
  const findings = recordingStore<FindingStore>();
  const vendors = recordingStore<VendorStore>({ covering: () => [{ id: 'v1', orgId: 'org-acme' }] });
  const useCase = new SubmitFindingUseCase(cases.store, findings.store, vendors.store, clock, keys);
  return { cases, findings, vendors, useCase };
}

describe('SubmitFindingUseCase', () => {
  it('opens a case for a new vulnerability: near-duplicates linked, vendors matched, deadline set, reporter listed, announced', async () => {
    const { cases, findings, vendors, useCase } = setUp();
    const answer = await useCase.execute({ ...REPORT, caller: AGENCY }, TX);
    expect(answer).toMatchObject({ duplicate: false, severity: { version: '3.1', baseScore: 9.8, baseSeverity: 'CRITICAL' } });
    const [[fingerprint]] = cases.called('lockFingerprint');
    expect(cases.called('openCaseWithFingerprint')).toEqual([[fingerprint]]);
    const deadline = new Date(NOW.getTime() + 7 * 24 * 3600 * 1000);
    expect(cases.called('insert')[0][0]).toMatchObject({
      id: answer.caseId, fingerprint, productKey: 'pkg:npm/acme-search', cwe: 'CWE-89', state: 'new', exploitedInWild: true, reportedAt: NOW, deadlineAt: deadline,
    });
    expect(cases.called('history')).toEqual([[answer.caseId, { from: null, to: 'new', actor: AGENCY.orgId, note: 'reported', at: NOW }]]);
    expect(cases.called('link')).toEqual([[answer.caseId, ['c-near']]]);
    expect(vendors.called('covering')).toEqual([[['pkg:npm/acme-search']]]);
    expect(cases.called('attachVendor')).toEqual([[answer.caseId, { id: 'v1', orgId: 'org-acme' }, 'unknown']]);
    expect(cases.called('scheduleDeadline')).toEqual([[answer.caseId, deadline, NOW]]);
    expect(cases.called('grant')).toEqual([[answer.caseId, AGENCY.orgId, 'reporter']]);
    expect(cases.called('announce')).toEqual([[CaseOpened, answer.caseId, {
      caseId: answer.caseId, title: REPORT.title, state: 'new', findingId: answer.findingId, baseSeverity: 'CRITICAL', deadlineAt: deadline.toISOString(),
      relatedCaseIds: ['c-near'],
    }]]);
    expect(findings.called('insert')[0][0]).toMatchObject({
      id: answer.findingId, caseId: answer.caseId, reporterOrgId: AGENCY.orgId, proofOfConcept: 'curl …', fingerprint, location: { file: 'src/search.ts' },
    });
  });

  it('joins the open case of the same vulnerability as a duplicate, listing the reporter', async () => {
    const { cases, findings, useCase } = setUp({ id: 'c-open', title: 'first report', state: 'triaged' });
    const answer = await useCase.execute({ ...REPORT, caller: AGENCY }, TX);
    expect(answer).toMatchObject({ caseId: 'c-open', duplicate: true });
    expect(cases.called('insert')).toEqual([]);
    expect(findings.called('insert')[0][0]).toMatchObject({ caseId: 'c-open' });
    expect(cases.called('grant')).toEqual([['c-open', AGENCY.orgId, 'reporter']]);
    expect(cases.called('announce')).toEqual([[CaseDuplicateFound, 'c-open', {
      caseId: 'c-open', title: 'first report', state: 'triaged', findingId: answer.findingId, reporterOrgId: AGENCY.orgId,
    }]]);
  });

  it('refuses operators, and a finding that breaks the rules, before anything is written', async () => {
    const { cases, findings, useCase } = setUp();
    await expect(useCase.execute({ ...REPORT, caller: OPERATOR }, TX)).rejects.toThrow(ForbiddenError);
    await expect(useCase.execute({ ...REPORT, cvssVector: 'nope', caller: AGENCY }, TX)).rejects.toThrow(RuleViolationError);
    expect(cases.calls).toEqual([]);
    expect(findings.calls).toEqual([]);
  });

  it('claims the idempotency key for the caller before recording', async () => {
    const claims: unknown[] = [];
    const keys = { run: (tx: EntityManager, claim: unknown, now: Date, work: () => Promise<unknown>) => (claims.push(claim), freshKeys.run(tx, undefined, now, work)) };
    const { useCase } = setUp(undefined, keys as IdempotencyKeys);
    await useCase.execute({ ...REPORT, caller: AGENCY, idempotency: { key: 'k1', requestHash: 'h1' } }, TX);
    expect(claims).toEqual([{ orgId: AGENCY.orgId, key: 'k1', requestHash: 'h1' }]);
  });
});
