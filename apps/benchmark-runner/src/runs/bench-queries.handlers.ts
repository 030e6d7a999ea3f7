// Answers the gateway's suite and score routes, enforcing who may see what with the caller's identity.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AppendSuiteItems, AppendSuiteItemsRequest, CallerIdentity, ClassificationView, DiscardSuiteUpload, DiscardSuiteUploadRequest,
  ForbiddenError, GetClassification, ListRuns, ListSuites, ListSuitesRequest, NotFoundError, RunView, SealSuiteUpload, SealSuiteUploadRequest,
  StartSuiteUpload, SubmissionIdRequest, SuiteMetadataInput, SuiteView,
} from '@vantage/contracts';
import { OnRequest, RpcContext } from '@vantage/messaging';
import { SuiteStore, suiteView } from '../suites/suite-store';
import { decisionAsSeenBy, mayReadSuite } from './decision-visibility';
import { runView, RunStore } from './run-store';

@Injectable()
export class BenchQueriesHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly suites: SuiteStore,
    private readonly runs: RunStore,
  ) {}

  @OnRequest(StartSuiteUpload)
  async startUpload(request: SuiteMetadataInput, ctx: RpcContext): Promise<{ uploadId: string }> {
    operatorOnly(ctx);
    return this.suites.startUpload(request, !!ctx.idempotency);
  }

  @OnRequest(AppendSuiteItems)
  async appendItems(request: AppendSuiteItemsRequest, ctx: RpcContext): Promise<{ itemCount: number }> {
    operatorOnly(ctx);
    return this.suites.append(request);
  }

  @OnRequest(SealSuiteUpload)
  async sealUpload(request: SealSuiteUploadRequest, ctx: RpcContext): Promise<SuiteView> {
    operatorOnly(ctx);
    return this.suites.seal(request, ctx.idempotency && { orgId: caller(ctx).orgId, ...ctx.idempotency });
  }

  @OnRequest(DiscardSuiteUpload)
  async discardUpload(request: DiscardSuiteUploadRequest, ctx: RpcContext): Promise<Record<string, never>> {
    operatorOnly(ctx);
    await this.suites.discard(request.uploadId);
    return {};
  }

  @OnRequest(ListSuites)
  async listSuites(request: ListSuitesRequest, ctx: RpcContext): Promise<{ items: SuiteView[] }> {
    const who = caller(ctx);
    const rows = await this.suites.list();
    return {
      items: rows
        .filter((r) => mayReadSuite(who, r.classification) && (!request.classification || r.classification === request.classification))
        .map(suiteView),
    };
  }

  @OnRequest(ListRuns)
  async listRuns(request: SubmissionIdRequest, ctx: RpcContext): Promise<{ items: RunView[] }> {
    const who = caller(ctx);
    if (who.kind !== 'operator' && who.kind !== 'agency') throw new ForbiddenError('only operators and cleared agencies may read runs');
    // An agency reads the runs of a model the lab gave it access to (a grant), as with its classification: the
    // scores of an unreleased model are the lab's business, not every cleared agency's. Others: not found.
    if (who.kind === 'agency') {
      const [grant] = await this.dataSource.query('SELECT 1 FROM bench.grants WHERE submission_id = $1 AND agency_id = $2', [request.submissionId, who.orgId]);
      if (!grant) throw new NotFoundError('submission');
    }
    const rows = await this.runs.runsOf(this.dataSource.manager, request.submissionId);
    // Per suite: an agency sees the runs of the suites its clearance covers, and nothing of the others.
    return { items: rows.filter((r) => mayReadSuite(who, r.classification)).map(runView) };
  }

  @OnRequest(GetClassification)
  async getClassification(request: SubmissionIdRequest, ctx: RpcContext): Promise<ClassificationView> {
    const who = caller(ctx);
    const id = request.submissionId;
    const [submission] = await this.dataSource.query('SELECT lab_id FROM bench.submissions WHERE submission_id = $1', [id]);
    const [grant] = await this.dataSource.query('SELECT 1 FROM bench.grants WHERE submission_id = $1 AND agency_id = $2', [id, who.orgId]);
    const allowed = who.kind === 'operator' || (who.kind === 'lab' && submission?.lab_id === who.orgId) || (who.kind === 'agency' && !!grant);
    // Not found either way: a stranger cannot tell a decided submission from one that does not exist.
    if (!allowed) throw new NotFoundError('classification');
    const decision = await this.runs.decision(this.dataSource.manager, id);
    if (!decision) throw new NotFoundError('classification');
    return { submissionId: id, ...decisionAsSeenBy(decision, (classification) => mayReadSuite(who, classification)) };
  }
}

function operatorOnly(ctx: RpcContext): void {
  if (caller(ctx).kind !== 'operator') throw new ForbiddenError('only operators may add benchmark suites');
}

function caller(ctx: RpcContext): CallerIdentity {
  if (!ctx.caller) throw new ForbiddenError('a caller identity is required');
  return ctx.caller;
}
