import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module';
import { EventStore } from './event-store';
import { EventStreamHandlers } from './event-stream.handlers';
import { EventWakeUps } from './event-wake-ups';
import { ReadEventStreamUseCase } from './read-event-stream.use-case';

@Module({
  imports: [AudienceModule],
  providers: [EventStore, EventWakeUps, ReadEventStreamUseCase, EventStreamHandlers],
  exports: [EventStore, EventWakeUps],
})
export class EventsModule {}
