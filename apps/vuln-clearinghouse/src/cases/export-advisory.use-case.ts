// A case's advisory in OSV, CSAF 2.0 or CVE JSON 5, to those with need-to-know, to everyone once disclosed.
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CallerIdentity } from '@vantage/contracts';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { VulnClearinghouseConfig } from '../config';
import { AdvisoryCase, toCsaf, toCveRecord, toOsv } from '../standards';
import { mayRead } from './case-access';

@Injectable()
export class ExportAdvisoryUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: VulnClearinghouseConfig,
  ) {}

  async execute(caseId: string, format: 'osv' | 'csaf' | 'cve', caller: CallerIdentity): Promise<Record<string, unknown>> {
    await mayRead(this.dataSource.manager, caseId, caller);
    const advisory = await this.load(caseId);
    if (format === 'osv') return toOsv(advisory) as unknown as Record<string, unknown>;
    if (format === 'csaf') {
      return toCsaf(advisory, { name: this.config.ADVISORY_PUBLISHER_NAME, namespace: this.config.ADVISORY_PUBLISHER_NAMESPACE }) as unknown as Record<string, unknown>;
    }
    return toCveRecord(advisory, {
      shortName: this.config.ADVISORY_CNA_SHORT_NAME,
      orgId: this.config.ADVISORY_CNA_ORG_ID,
      advisoryUrl: `${this.config.ADVISORY_PUBLISHER_NAMESPACE}/advisories/${caseId}`,
    }) as unknown as Record<string, unknown>;
  }

  private async load(caseId: string): Promise<AdvisoryCase> {
    const [c] = await this.dataSource.query('SELECT * FROM cases WHERE id = $1', [caseId]);
    const findings = await this.dataSource.query('SELECT * FROM findings WHERE case_id = $1 ORDER BY reported_at, id', [caseId]);
    const first = findings[0];
    const products = new Map<string, any>();
    for (const f of findings) for (const a of f.affected) products.set(JSON.stringify([a.purl, a.cpe, a.vendor, a.product]), a);
    const tool = findings.find((f: any) => f.discovered_with)?.discovered_with;
    return {
      id: c.id,
      title: c.title,
      description: first.description,
      ...(c.cwe ? { cwe: c.cwe } : {}),
      severity: c.severity,
      affected: [...products.values()].map((a) => ({ ...a, versions: a.versions ?? {} })),
      credits: [
        ...findings.map((f: any) => ({ name: `Reporter ${f.reporter_org_id}`, type: 'finder' as const })),
        ...(tool ? [{ name: [tool.model, tool.tool].filter(Boolean).join(' / ') || 'AI model', type: 'tool' as const }] : []),
        { name: this.config.ADVISORY_PUBLISHER_NAME, type: 'coordinator' as const },
      ],
      ...(tool ? { discoveredWith: tool } : {}),
      publishedAt: new Date(c.disclosed_at ?? c.reported_at).toISOString(),
      modifiedAt: new Date(c.updated_at).toISOString(),
      state: c.state,
      exploitedInWild: c.exploited_in_wild,
    } as AdvisoryCase;
  }
}
