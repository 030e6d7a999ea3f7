// The clearinghouse's request-reply answers; the gateway forwards its finding and case routes here.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CallerIdentity, CaseIdRequest, CaseView, CreateVendor, CreateVendorRequest, ExtendEmbargo, ExtendEmbargoRequest, GetAdvisory,
  GetAdvisoryRequest, GetCase, GrantCaseAccess, GrantCaseAccessRequest, ListCases, ListCasesRequest, MergeCases, MergeCasesRequest, NotFoundError,
  SetVendorStatus, SetVendorStatusRequest, SplitCase, SplitCaseRequest, SubmitFinding, SubmitFindingRequest, SubmittedFinding, TransitionCase,
  TransitionCaseRequest, VendorView,
} from '@vantage/contracts';
import { OnRequest, RpcContext } from '@vantage/messaging';
import { mayRead } from './case-access';
import { loadCaseView } from './case-view';
import { CreateVendorUseCase } from './create-vendor.use-case';
import { ExportAdvisoryUseCase } from './export-advisory.use-case';
import { MergeSplitUseCase } from './merge-split.use-case';
import { SubmitFindingUseCase } from './submit-finding.use-case';
import { TransitionCaseUseCase } from './transition-case.use-case';
import { VendorStatusUseCase } from './vendor-status.use-case';

@Injectable()
export class CasesHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly submitFinding: SubmitFindingUseCase,
    private readonly transitions: TransitionCaseUseCase,
    private readonly vendors: CreateVendorUseCase,
    private readonly advisories: ExportAdvisoryUseCase,
    private readonly mergeSplit: MergeSplitUseCase,
    private readonly vendorStatus: VendorStatusUseCase,
  ) {}

  @OnRequest(SubmitFinding)
  submit(request: SubmitFindingRequest, ctx: RpcContext): Promise<SubmittedFinding> {
    return this.submitFinding.execute(request, caller(ctx), ctx.idempotency);
  }

  @OnRequest(GetCase)
  async get(request: CaseIdRequest, ctx: RpcContext): Promise<CaseView> {
    await mayRead(this.dataSource.manager, request.caseId, caller(ctx));
    return loadCaseView(this.dataSource.manager, request.caseId);
  }

  @OnRequest(ListCases)
  async list(request: ListCasesRequest, ctx: RpcContext): Promise<{ items: CaseView[] }> {
    const who = caller(ctx);
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT c.id FROM cases c
       WHERE ($1::text IS NULL OR c.state = $1)
         AND ($2 = 'clearinghouse' OR c.state = 'disclosed' OR EXISTS (SELECT 1 FROM case_access a WHERE a.case_id = c.id AND a.org_id = $3))
       ORDER BY c.reported_at DESC LIMIT 200`,
      [request.state ?? null, who.kind, who.orgId],
    );
    return { items: await Promise.all(rows.map((r) => loadCaseView(this.dataSource.manager, r.id))) };
  }

  @OnRequest(TransitionCase)
  transition(request: TransitionCaseRequest, ctx: RpcContext): Promise<CaseView> {
    return this.transitions.transition(request.caseId, request.to, request.note, caller(ctx));
  }

  @OnRequest(ExtendEmbargo)
  extend(request: ExtendEmbargoRequest, ctx: RpcContext): Promise<CaseView> {
    return this.transitions.extendEmbargo(request.caseId, new Date(request.deadlineAt), request.reason, caller(ctx));
  }

  @OnRequest(GrantCaseAccess)
  grant(request: GrantCaseAccessRequest, ctx: RpcContext): Promise<CaseView> {
    return this.transitions.grantAccess(request.caseId, request.orgId, caller(ctx));
  }

  @OnRequest(MergeCases)
  merge(request: MergeCasesRequest, ctx: RpcContext): Promise<CaseView> {
    return this.mergeSplit.merge(request.caseId, request.absorbedCaseId, request.note, caller(ctx));
  }

  @OnRequest(SplitCase)
  split(request: SplitCaseRequest, ctx: RpcContext): Promise<CaseView> {
    return this.mergeSplit.split(request.caseId, request.findingIds, request.note, caller(ctx), ctx.idempotency);
  }

  @OnRequest(SetVendorStatus)
  setVendorStatus(request: SetVendorStatusRequest, ctx: RpcContext): Promise<CaseView> {
    return this.vendorStatus.execute(request, caller(ctx));
  }

  @OnRequest(CreateVendor)
  vendor(request: CreateVendorRequest, ctx: RpcContext): Promise<VendorView> {
    return this.vendors.execute(request, caller(ctx), ctx.idempotency);
  }

  @OnRequest(GetAdvisory)
  advisory(request: GetAdvisoryRequest, ctx: RpcContext): Promise<Record<string, unknown>> {
    return this.advisories.execute(request.caseId, request.format, caller(ctx));
  }
}

function caller(ctx: RpcContext): CallerIdentity {
  if (!ctx.caller) throw new NotFoundError('case');
  return ctx.caller;
}
