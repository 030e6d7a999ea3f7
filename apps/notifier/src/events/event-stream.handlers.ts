import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventStreamPage, ReadEventStream, ReadEventStreamRequest } from '@vantage/contracts';
import { callerOf, OnRequest, RpcContext } from '@vantage/messaging';
import { ReadEventStreamUseCase } from './read-event-stream.use-case';

@Injectable()
export class EventStreamHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readEvents: ReadEventStreamUseCase,
  ) {}

  @OnRequest(ReadEventStream)
  read(request: ReadEventStreamRequest, ctx: RpcContext): Promise<EventStreamPage> {
    return this.readEvents.execute({ ...request, caller: callerOf(ctx) }, this.dataSource.manager);
  }
}
