// Answers the gateway's window routes for the organisation the request acts for.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GetWindow, GetWindowRequest, ListWindows, ListWindowsRequest, WindowView } from '@vantage/contracts';
import { callerOf, OnRequest, RpcContext } from '@vantage/messaging';
import { GetWindowUseCase } from './get-window.use-case';
import { ListWindowsUseCase } from './list-windows.use-case';

@Injectable()
export class WindowQueriesHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly getWindow: GetWindowUseCase,
    private readonly listWindows: ListWindowsUseCase,
  ) {}

  @OnRequest(GetWindow)
  get(request: GetWindowRequest, ctx: RpcContext): Promise<WindowView> {
    return this.getWindow.execute({ submissionId: request.submissionId, caller: callerOf(ctx) }, this.dataSource.manager);
  }

  @OnRequest(ListWindows)
  list(request: ListWindowsRequest, ctx: RpcContext): Promise<{ items: WindowView[] }> {
    return this.listWindows.execute({ ...request, caller: callerOf(ctx) }, this.dataSource.manager);
  }
}
