import { toCaseView } from './case-view';
import { HIGH } from './fakes.testing';

describe('case view', () => {
  const rows = {
    case: {
      id: 'c1', title: 'SQLi', state: 'disclosed' as const, severity: HIGH, cwe: 'CWE-89', exploited_in_wild: false,
      reported_at: new Date('2026-11-01T00:00:00Z'), deadline_at: '2027-01-30T00:00:00Z', disclosed_at: new Date('2026-12-01T00:00:00Z'),
    },
    findings: [
      { id: 'f1', reporter_org_id: 'o1', reported_at: new Date('2026-11-01T00:00:00Z'), discovered_with: { model: 'm' } },
      { id: 'f2', reporter_org_id: 'o2', reported_at: new Date('2026-11-02T00:00:00Z'), discovered_with: null },
    ],
    vendors: [{ id: 'v1', name: 'Acme', status: 'fixed' }],
    related: [{ related_id: 'c2' }],
    history: [{ from_state: null, to_state: 'new', actor: 'o1', note: 'reported', at: new Date('2026-11-01T00:00:00Z') }],
  };

  it('shows the case with its findings, vendors, related cases and history', () => {
    expect(toCaseView(rows)).toEqual({
      id: 'c1', title: 'SQLi', state: 'disclosed', severity: HIGH, cwe: 'CWE-89', exploitedInWild: false,
      reportedAt: '2026-11-01T00:00:00.000Z', deadlineAt: '2027-01-30T00:00:00.000Z', disclosedAt: '2026-12-01T00:00:00.000Z',
      findings: [
        { id: 'f1', reporterOrgId: 'o1', reportedAt: '2026-11-01T00:00:00.000Z', discoveredWith: { model: 'm' } },
        { id: 'f2', reporterOrgId: 'o2', reportedAt: '2026-11-02T00:00:00.000Z' },
      ],
      vendors: [{ id: 'v1', name: 'Acme', status: 'fixed' }],
      relatedCaseIds: ['c2'],
      history: [{ from: null, to: 'new', by: 'o1', at: '2026-11-01T00:00:00.000Z', note: 'reported' }],
    });
  });

  it('leaves out a missing weakness and disclosure date', () => {
    const view = toCaseView({ ...rows, case: { ...rows.case, state: 'new', cwe: null, disclosed_at: null } });
    expect(view).not.toHaveProperty('cwe');
    expect(view).not.toHaveProperty('disclosedAt');
  });
});
