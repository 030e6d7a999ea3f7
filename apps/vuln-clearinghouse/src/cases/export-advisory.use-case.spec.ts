import { NotFoundError } from '@vantage/contracts';
import { VulnClearinghouseConfig } from '../config';
import { CaseStore } from './case-store';
import { ExportAdvisoryUseCase } from './export-advisory.use-case';
import { AGENCY, aFinding, CASE_ID, HIGH, recordingStore, TX } from './fakes.testing';
import { FindingStore } from './finding-store';

const config = {
  ADVISORY_PUBLISHER_NAME: 'Clearinghouse', ADVISORY_PUBLISHER_NAMESPACE: 'https://vantage.example', ADVISORY_CNA_SHORT_NAME: 'vantage',
  ADVISORY_CNA_ORG_ID: '00000000-0000-4000-8000-000000000000',
} as VulnClearinghouseConfig;

function setUp(listed: boolean) {
  const cases = recordingStore<CaseStore>({
    access: () => ({ state: 'disclosed', listed }),
    advisorySource: () => ({
      id: CASE_ID, title: 'SQLi', cwe: 'CWE-89', severity: HIGH, state: 'disclosed', exploitedInWild: false,
      reportedAt: new Date('2026-11-01T00:00:00Z'), disclosedAt: new Date('2026-12-01T00:00:00Z'), updatedAt: new Date('2026-12-01T00:00:00Z'),
    }),
  });
  const findings = recordingStore<FindingStore>({ ofCase: () => [aFinding('018f0000-0000-7000-8000-00000000000a')] });
  return { cases, findings, useCase: new ExportAdvisoryUseCase(cases.store, findings.store, config) };
}

describe('ExportAdvisoryUseCase', () => {
  it('renders the advisory of a disclosed case to anyone, in the format asked for', async () => {
    const { useCase, findings } = setUp(false);
    const cve = await useCase.execute({ caseId: CASE_ID, format: 'cve', caller: AGENCY }, TX);
    expect(JSON.stringify(cve)).toContain(`https://vantage.example/advisories/${CASE_ID}`);
    expect(findings.called('ofCase')).toEqual([[CASE_ID]]);
    expect(await useCase.execute({ caseId: CASE_ID, format: 'osv', caller: AGENCY }, TX)).toHaveProperty('schema_version');
  });

  it('tells a stranger an undisclosed case does not exist, reading nothing more', async () => {
    const cases = recordingStore<CaseStore>({ access: () => ({ state: 'triaged', listed: false }) });
    const findings = recordingStore<FindingStore>();
    await expect(new ExportAdvisoryUseCase(cases.store, findings.store, config).execute({ caseId: CASE_ID, format: 'osv', caller: AGENCY }, TX))
      .rejects.toThrow(NotFoundError);
    expect(findings.calls).toEqual([]);
  });
});
