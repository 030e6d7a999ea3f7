import { advisoryCaseOf, AdvisoryPublisher, AdvisorySource, renderAdvisory } from './case-advisory';
import { aFinding, CASE_ID, HIGH } from './fakes.testing';

const source: AdvisorySource = {
  id: CASE_ID, title: 'SQL injection in search', cwe: 'CWE-89', severity: HIGH, state: 'disclosed', exploitedInWild: false,
  reportedAt: new Date('2026-11-01T00:00:00Z'), disclosedAt: new Date('2026-12-01T00:00:00Z'), updatedAt: new Date('2026-12-02T00:00:00Z'),
};
const publisher: AdvisoryPublisher = { name: 'Clearinghouse', namespace: 'https://vantage.example', cnaShortName: 'vantage', cnaOrgId: '00000000-0000-4000-8000-000000000000' };

describe('advisory of a case', () => {
  const f1 = aFinding('018f0000-0000-7000-8000-00000000000a', { reporterOrgId: 'o1', description: 'first', discoveredWith: null });
  const f2 = aFinding('018f0000-0000-7000-8000-00000000000b', {
    reporterOrgId: 'o2', description: 'second', discoveredWith: { model: 'model-x', tool: 'fuzzer' },
    affected: [{ purl: 'pkg:npm/acme-search@1.2.3' }, { vendor: 'Acme', product: 'Gateway', versions: { fixed: '2.0' } }],
  });

  it('takes the first description, each product once, and credits finders, the tool and the coordinator', () => {
    const a = advisoryCaseOf(source, [f1, f2], 'Clearinghouse');
    expect(a.description).toBe('first');
    expect(a.affected).toEqual([{ purl: 'pkg:npm/acme-search@1.2.3', versions: {} }, { vendor: 'Acme', product: 'Gateway', versions: { fixed: '2.0' } }]);
    expect(a.credits).toEqual([
      { name: 'Reporter o1', type: 'finder' }, { name: 'Reporter o2', type: 'finder' }, { name: 'model-x / fuzzer', type: 'tool' },
      { name: 'Clearinghouse', type: 'coordinator' },
    ]);
    expect(a.discoveredWith).toEqual({ model: 'model-x', tool: 'fuzzer' });
    expect(a.publishedAt).toBe('2026-12-01T00:00:00.000Z');
    expect(a.modifiedAt).toBe('2026-12-02T00:00:00.000Z');
  });

  it('is published at the report date until disclosed', () => {
    expect(advisoryCaseOf({ ...source, state: 'triaged', disclosedAt: null }, [f1], 'C').publishedAt).toBe('2026-11-01T00:00:00.000Z');
  });

  it('renders OSV, CSAF and a CVE record pointing at the advisory page of the case', () => {
    const a = advisoryCaseOf(source, [f1], 'Clearinghouse');
    expect(renderAdvisory(a, 'osv', publisher, CASE_ID)).toHaveProperty('schema_version');
    expect(renderAdvisory(a, 'csaf', publisher, CASE_ID)).toHaveProperty('document');
    expect(JSON.stringify(renderAdvisory(a, 'cve', publisher, CASE_ID))).toContain(`https://vantage.example/advisories/${CASE_ID}`);
  });
});
