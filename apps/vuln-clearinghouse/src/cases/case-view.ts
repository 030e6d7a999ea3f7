// A case as the API shows it, made from its rows: findings (first finder first), vendors, related cases and history.
import { CaseView } from '@vantage/contracts';

/** The rows of a case as the store reads them (Postgres column names). */
export interface CaseViewRows {
  case: {
    id: string; title: string; state: CaseView['state']; severity: CaseView['severity']; cwe: string | null; exploited_in_wild: boolean;
    reported_at: Date | string; deadline_at: Date | string; disclosed_at: Date | string | null;
  };
  findings: { id: string; reporter_org_id: string; reported_at: Date | string; discovered_with: Record<string, string> | null }[];
  vendors: { id: string; name: string; status: string }[];
  related: { related_id: string }[];
  history: { from_state: string | null; to_state: string; actor: string; note: string; at: Date | string }[];
}

export function toCaseView({ case: c, findings, vendors, related, history }: CaseViewRows): CaseView {
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
    findings: findings.map((f) => ({
      id: f.id, reporterOrgId: f.reporter_org_id, reportedAt: new Date(f.reported_at).toISOString(), ...(f.discovered_with ? { discoveredWith: f.discovered_with } : {}),
    })),
    vendors: vendors.map((v) => ({ id: v.id, name: v.name, status: v.status })),
    relatedCaseIds: related.map((r) => r.related_id),
    history: history.map((h) => ({ from: h.from_state, to: h.to_state, by: h.actor, at: new Date(h.at).toISOString(), note: h.note })),
  };
}
