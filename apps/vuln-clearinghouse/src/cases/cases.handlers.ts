// The clearinghouse's request-reply answers; the gateway forwards its finding and case routes here. Each parses,
// builds its use case's command with the verified caller, and gives it the transaction: its own for a request that
// writes, the data source's manager for one that only reads.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CaseIdRequest, CaseView, CreateVendor, CreateVendorRequest, ExtendEmbargo, ExtendEmbargoRequest, GetAdvisory, GetAdvisoryRequest, GetCase,
  GrantCaseAccess, GrantCaseAccessRequest, ListCases, ListCasesRequest, MergeCases, MergeCasesRequest, SetVendorStatus, SetVendorStatusRequest,
  SplitCase, SplitCaseRequest, SubmitFinding, SubmitFindingRequest, SubmittedFinding, TransitionCase, TransitionCaseRequest, VendorView,
} from '@vantage/contracts';
import { callerOf, OnRequest, RpcContext } from '@vantage/messaging';
import { CreateVendorUseCase } from './create-vendor.use-case';
import { ExportAdvisoryUseCase } from './export-advisory.use-case';
import { ExtendEmbargoUseCase } from './extend-embargo.use-case';
import { GetCaseUseCase } from './get-case.use-case';
import { GrantCaseAccessUseCase } from './grant-case-access.use-case';
import { ListCasesUseCase } from './list-cases.use-case';
import { MergeCasesUseCase } from './merge-cases.use-case';
import { SetVendorStatusUseCase } from './set-vendor-status.use-case';
import { SplitCaseUseCase } from './split-case.use-case';
import { SubmitFindingUseCase } from './submit-finding.use-case';
import { TransitionCaseUseCase } from './transition-case.use-case';

@Injectable()
export class CasesHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly submitFinding: SubmitFindingUseCase,
    private readonly getCase: GetCaseUseCase,
    private readonly listCases: ListCasesUseCase,
    private readonly transitionCase: TransitionCaseUseCase,
    private readonly extendEmbargo: ExtendEmbargoUseCase,
    private readonly grantCaseAccess: GrantCaseAccessUseCase,
    private readonly mergeCases: MergeCasesUseCase,
    private readonly splitCase: SplitCaseUseCase,
    private readonly setVendorStatus: SetVendorStatusUseCase,
    private readonly createVendor: CreateVendorUseCase,
    private readonly exportAdvisory: ExportAdvisoryUseCase,
  ) {}

  @OnRequest(SubmitFinding)
  submit(request: SubmitFindingRequest, ctx: RpcContext): Promise<SubmittedFinding> {
    const command = { ...request, caller: callerOf(ctx), idempotency: ctx.idempotency };
    return this.dataSource.transaction((tx) => this.submitFinding.execute(command, tx));
  }

  @OnRequest(GetCase)
  get(request: CaseIdRequest, ctx: RpcContext): Promise<CaseView> {
    return this.getCase.execute({ ...request, caller: callerOf(ctx) }, this.dataSource.manager);
  }

  @OnRequest(ListCases)
  list(request: ListCasesRequest, ctx: RpcContext): Promise<{ items: CaseView[] }> {
    return this.listCases.execute({ ...request, caller: callerOf(ctx) }, this.dataSource.manager);
  }

  @OnRequest(TransitionCase)
  transition(request: TransitionCaseRequest, ctx: RpcContext): Promise<CaseView> {
    const command = { ...request, caller: callerOf(ctx) };
    return this.dataSource.transaction((tx) => this.transitionCase.execute(command, tx));
  }

  @OnRequest(ExtendEmbargo)
  extend(request: ExtendEmbargoRequest, ctx: RpcContext): Promise<CaseView> {
    const command = { caseId: request.caseId, deadlineAt: new Date(request.deadlineAt), reason: request.reason, caller: callerOf(ctx) };
    return this.dataSource.transaction((tx) => this.extendEmbargo.execute(command, tx));
  }

  @OnRequest(GrantCaseAccess)
  grant(request: GrantCaseAccessRequest, ctx: RpcContext): Promise<CaseView> {
    const command = { ...request, caller: callerOf(ctx) };
    return this.dataSource.transaction((tx) => this.grantCaseAccess.execute(command, tx));
  }

  @OnRequest(MergeCases)
  merge(request: MergeCasesRequest, ctx: RpcContext): Promise<CaseView> {
    const command = { ...request, caller: callerOf(ctx) };
    return this.dataSource.transaction((tx) => this.mergeCases.execute(command, tx));
  }

  @OnRequest(SplitCase)
  split(request: SplitCaseRequest, ctx: RpcContext): Promise<CaseView> {
    const command = { ...request, caller: callerOf(ctx), idempotency: ctx.idempotency };
    return this.dataSource.transaction((tx) => this.splitCase.execute(command, tx));
  }

  @OnRequest(SetVendorStatus)
  vendorStatus(request: SetVendorStatusRequest, ctx: RpcContext): Promise<CaseView> {
    const command = { ...request, caller: callerOf(ctx) };
    return this.dataSource.transaction((tx) => this.setVendorStatus.execute(command, tx));
  }

  @OnRequest(CreateVendor)
  vendor(request: CreateVendorRequest, ctx: RpcContext): Promise<VendorView> {
    const command = { ...request, caller: callerOf(ctx), idempotency: ctx.idempotency };
    return this.dataSource.transaction((tx) => this.createVendor.execute(command, tx));
  }

  @OnRequest(GetAdvisory)
  advisory(request: GetAdvisoryRequest, ctx: RpcContext): Promise<Record<string, unknown>> {
    return this.exportAdvisory.execute({ ...request, caller: callerOf(ctx) }, this.dataSource.manager);
  }
}
