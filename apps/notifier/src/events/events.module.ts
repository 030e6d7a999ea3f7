import { Module } from '@nestjs/common';
import { EventStreamHandlers } from './event-stream.handlers';
import { EventWakeUps } from './event-wake-ups';
import { ReadEventStreamUseCase } from './read-event-stream.use-case';

@Module({
  providers: [EventWakeUps, ReadEventStreamUseCase, EventStreamHandlers],
  exports: [EventWakeUps],
})
export class EventsModule {}
