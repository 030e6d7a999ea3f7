// Reads a case as the API shows it: findings (first finder first), vendors, related cases and history.
import { EntityManager } from 'typeorm';
import { CaseView } from '@vantage/contracts';

export async function loadCaseView(tx: EntityManager, caseId: string): Promise<CaseView> {
  const [c] = await tx.query('SELECT * FROM cases WHERE id = $1', [caseId]);
  const findings = await tx.query('SELECT id, reporter_org_id, reported_at, discovered_with FROM findings WHERE case_id = $1 ORDER BY reported_at, id', [caseId]);
  const vendors = await tx.query(
    'SELECT v.id, v.name, cv.status FROM case_vendors cv JOIN vendors v ON v.id = cv.vendor_id WHERE cv.case_id = $1 ORDER BY v.name',
    [caseId],
  );
  const related = await tx.query('SELECT related_id FROM case_related WHERE case_id = $1 ORDER BY related_id', [caseId]);
  const history = await tx.query('SELECT from_state, to_state, actor, note, at FROM case_history WHERE case_id = $1 ORDER BY id', [caseId]);
  return {
    id: c.id,
    title: c.title,
    state: c.state,
    severity: c.severity,
    ...(c.cwe ? { cwe: c.cwe } : {}),
    exploitedInWild: c.exploited_in_wild,
    reportedAt: new Date(c.reported_at).toISOString(),
    deadlineAt: new Date(c.deadline_at).toISOString(),
    ...(c.disclosed_at ? { disclosedAt: new Date(c.disclosed_at).toISOString() } : {}),
    findings: findings.map((f: any) => ({
      id: f.id, reporterOrgId: f.reporter_org_id, reportedAt: new Date(f.reported_at).toISOString(), ...(f.discovered_with ? { discoveredWith: f.discovered_with } : {}),
    })),
    vendors: vendors.map((v: any) => ({ id: v.id, name: v.name, status: v.status })),
    relatedCaseIds: related.map((r: any) => r.related_id),
    history: history.map((h: any) => ({ from: h.from_state, to: h.to_state, by: h.actor, at: new Date(h.at).toISOString(), note: h.note })),
  };
}
