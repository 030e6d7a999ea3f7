import { Module } from '@nestjs/common';
import { AccessLogController } from './access-log.controller';
import { AccessReadModelHandlers } from './access-read-model.handlers';
import { AccessController } from './access.controller';
import { ActiveStreams } from './active-streams';
import { BrokerAccessUseCase } from './broker-access.use-case';
import { OrgsModule } from '../orgs/orgs.module';

@Module({
  imports: [OrgsModule],
  controllers: [AccessController, AccessLogController],
  providers: [BrokerAccessUseCase, ActiveStreams, AccessReadModelHandlers],
})
export class AccessModule {}
