// A case's advisory in OSV, CSAF 2.0 or CVE JSON 5, to those with need-to-know, to everyone once disclosed.
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, GetAdvisoryRequest } from '@vantage/contracts';
import { SERVICE_CONFIG, UseCase } from '@vantage/runtime';
import { VulnClearinghouseConfig } from '../config';
import { mayRead } from './case-access';
import { advisoryCaseOf, AdvisoryPublisher, renderAdvisory } from './case-advisory';
import { CaseStore } from './case-store';
import { FindingStore } from './finding-store';

export type ExportAdvisoryCommand = GetAdvisoryRequest & { caller: CallerIdentity };

@Injectable()
export class ExportAdvisoryUseCase implements UseCase<ExportAdvisoryCommand, Record<string, unknown>> {
  constructor(
    private readonly cases: CaseStore,
    private readonly findings: FindingStore,
    @Inject(SERVICE_CONFIG) private readonly config: VulnClearinghouseConfig,
  ) {}

  async execute({ caseId, format, caller }: ExportAdvisoryCommand, tx: EntityManager): Promise<Record<string, unknown>> {
    mayRead(await this.cases.access(tx, caseId, caller.orgId), caller);
    const advisory = advisoryCaseOf(await this.cases.advisorySource(tx, caseId), await this.findings.ofCase(tx, caseId), this.config.ADVISORY_PUBLISHER_NAME);
    return renderAdvisory(advisory, format, this.publisher, caseId);
  }

  private get publisher(): AdvisoryPublisher {
    return {
      name: this.config.ADVISORY_PUBLISHER_NAME,
      namespace: this.config.ADVISORY_PUBLISHER_NAMESPACE,
      cnaShortName: this.config.ADVISORY_CNA_SHORT_NAME,
      cnaOrgId: this.config.ADVISORY_CNA_ORG_ID,
    };
  }
}
