// Answers the gateway's suite and score routes: the caller each request acts for goes into the use case's command,
// which enforces who may do and see what.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AppendSuiteItems, AppendSuiteItemsRequest, ClassificationView, DiscardSuiteUpload, DiscardSuiteUploadRequest, GetClassification, ListRuns,
  ListSuites, ListSuitesRequest, RunView, SealSuiteUpload, SealSuiteUploadRequest, StartSuiteUpload, SubmissionIdRequest, SuiteMetadataInput,
  SuiteView,
} from '@vantage/contracts';
import { callerOf, OnRequest, RpcContext } from '@vantage/messaging';
import { AppendSuiteItemsUseCase } from '../suites/append-suite-items.use-case';
import { DiscardSuiteUploadUseCase } from '../suites/discard-suite-upload.use-case';
import { ListSuitesUseCase } from '../suites/list-suites.use-case';
import { SealSuiteUploadUseCase } from '../suites/seal-suite-upload.use-case';
import { StartSuiteUploadUseCase } from '../suites/start-suite-upload.use-case';
import { GetClassificationUseCase } from './get-classification.use-case';
import { ListRunsUseCase } from './list-runs.use-case';

@Injectable()
export class BenchQueriesHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly startSuiteUpload: StartSuiteUploadUseCase,
    private readonly appendSuiteItems: AppendSuiteItemsUseCase,
    private readonly sealSuiteUpload: SealSuiteUploadUseCase,
    private readonly discardSuiteUpload: DiscardSuiteUploadUseCase,
    private readonly listSuitesUseCase: ListSuitesUseCase,
    private readonly listRunsUseCase: ListRunsUseCase,
    private readonly getClassificationUseCase: GetClassificationUseCase,
  ) {}

  @OnRequest(StartSuiteUpload)
  async startUpload(request: SuiteMetadataInput, ctx: RpcContext): Promise<{ uploadId: string }> {
    const command = { caller: callerOf(ctx), suite: request, idempotent: !!ctx.idempotency };
    return this.dataSource.transaction((tx) => this.startSuiteUpload.execute(command, tx));
  }

  @OnRequest(AppendSuiteItems)
  async appendItems(request: AppendSuiteItemsRequest, ctx: RpcContext): Promise<{ itemCount: number }> {
    const command = { caller: callerOf(ctx), ...request };
    return this.dataSource.transaction((tx) => this.appendSuiteItems.execute(command, tx));
  }

  @OnRequest(SealSuiteUpload)
  async sealUpload(request: SealSuiteUploadRequest, ctx: RpcContext): Promise<SuiteView> {
    const command = { caller: callerOf(ctx), ...request, idempotency: ctx.idempotency };
    return this.dataSource.transaction((tx) => this.sealSuiteUpload.execute(command, tx));
  }

  @OnRequest(DiscardSuiteUpload)
  async discardUpload(request: DiscardSuiteUploadRequest, ctx: RpcContext): Promise<Record<string, never>> {
    const command = { caller: callerOf(ctx), uploadId: request.uploadId };
    await this.dataSource.transaction((tx) => this.discardSuiteUpload.execute(command, tx));
    return {};
  }

  @OnRequest(ListSuites)
  async listSuites(request: ListSuitesRequest, ctx: RpcContext): Promise<{ items: SuiteView[] }> {
    return this.listSuitesUseCase.execute({ caller: callerOf(ctx), classification: request.classification }, this.dataSource.manager);
  }

  @OnRequest(ListRuns)
  async listRuns(request: SubmissionIdRequest, ctx: RpcContext): Promise<{ items: RunView[] }> {
    return this.listRunsUseCase.execute({ caller: callerOf(ctx), submissionId: request.submissionId }, this.dataSource.manager);
  }

  @OnRequest(GetClassification)
  async getClassification(request: SubmissionIdRequest, ctx: RpcContext): Promise<ClassificationView> {
    return this.getClassificationUseCase.execute({ caller: callerOf(ctx), submissionId: request.submissionId }, this.dataSource.manager);
  }
}
