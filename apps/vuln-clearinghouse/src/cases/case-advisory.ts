// A case's advisory, as plain rules: the advisory input made from the case and its findings, and its rendering
// in OSV, CSAF 2.0 or CVE JSON 5.
import { CaseState, SeverityView } from '@vantage/contracts';
import { AdvisoryCase, toCsaf, toCveRecord, toOsv } from '../standards';
import { StoredFinding } from './finding';

/** The case row an advisory is made from. */
export interface AdvisorySource {
  id: string;
  title: string;
  cwe: string | null;
  severity: SeverityView;
  state: CaseState;
  exploitedInWild: boolean;
  reportedAt: Date;
  disclosedAt: Date | null;
  updatedAt: Date;
}

export interface AdvisoryPublisher {
  name: string;
  namespace: string;
  cnaShortName: string;
  cnaOrgId: string;
}

export type AdvisoryFormat = 'osv' | 'csaf' | 'cve';

/** The first finding's description; every product named by any finding, once; finders, the tool and the coordinator credited. */
export function advisoryCaseOf(c: AdvisorySource, findings: StoredFinding[], publisherName: string): AdvisoryCase {
  const first = findings[0];
  const products = new Map<string, any>();
  for (const f of findings) for (const a of f.affected) products.set(JSON.stringify([a.purl, a.cpe, a.vendor, a.product]), a);
  const tool = findings.find((f) => f.discoveredWith)?.discoveredWith;
  return {
    id: c.id,
    title: c.title,
    description: first.description,
    ...(c.cwe ? { cwe: c.cwe } : {}),
    severity: c.severity,
    affected: [...products.values()].map((a) => ({ ...a, versions: a.versions ?? {} })),
    credits: [
      ...findings.map((f) => ({ name: `Reporter ${f.reporterOrgId}`, type: 'finder' as const })),
      ...(tool ? [{ name: [tool.model, tool.tool].filter(Boolean).join(' / ') || 'AI model', type: 'tool' as const }] : []),
      { name: publisherName, type: 'coordinator' as const },
    ],
    ...(tool ? { discoveredWith: tool } : {}),
    publishedAt: (c.disclosedAt ?? c.reportedAt).toISOString(),
    modifiedAt: c.updatedAt.toISOString(),
    state: c.state,
    exploitedInWild: c.exploitedInWild,
  } as AdvisoryCase;
}

/** The advisory in `format`; the CVE record points at the advisory page of `caseId` (as the request named it). */
export function renderAdvisory(advisory: AdvisoryCase, format: AdvisoryFormat, publisher: AdvisoryPublisher, caseId: string): Record<string, unknown> {
  if (format === 'osv') return toOsv(advisory) as unknown as Record<string, unknown>;
  if (format === 'csaf') return toCsaf(advisory, { name: publisher.name, namespace: publisher.namespace }) as unknown as Record<string, unknown>;
  return toCveRecord(advisory, {
    shortName: publisher.cnaShortName,
    orgId: publisher.cnaOrgId,
    advisoryUrl: `${publisher.namespace}/advisories/${caseId}`,
  }) as unknown as Record<string, unknown>;
}
