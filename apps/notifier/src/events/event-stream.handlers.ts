import { Injectable } from '@nestjs/common';
import { OnRequest, RpcContext } from '@vantage/messaging';
import { EventStreamPage, ReadEventStream, ReadEventStreamRequest } from '@vantage/contracts';
import { ReadEventStreamUseCase } from './read-event-stream.use-case';

@Injectable()
export class EventStreamHandlers {
  constructor(private readonly readEvents: ReadEventStreamUseCase) {}

  @OnRequest(ReadEventStream)
  read(request: ReadEventStreamRequest, ctx: RpcContext): Promise<EventStreamPage> {
    return this.readEvents.execute(request, ctx.caller);
  }
}
