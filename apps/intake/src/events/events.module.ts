import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { EventsController } from './events.controller';

@Module({ imports: [OrgsModule], controllers: [EventsController] })
export class EventsModule {}
