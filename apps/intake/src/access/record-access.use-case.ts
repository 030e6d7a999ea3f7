// Every brokered call is audited for the lab: agency, time, status, latency, token counts. An audit that cannot be
// written is logged and does not fail the call it describes.
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UseCase } from '@vantage/runtime';
import { AccessLogStore, AccessRecord } from './access-log-store';

@Injectable()
export class RecordAccessUseCase implements UseCase<AccessRecord> {
  private readonly log = new Logger(RecordAccessUseCase.name);

  constructor(private readonly accessLog: AccessLogStore) {}

  async execute(command: AccessRecord, tx: EntityManager): Promise<void> {
    try {
      await this.accessLog.append(tx, command);
    } catch (e) {
      this.log.error(`could not audit a brokered call to ${command.submissionId}: ${(e as Error).message}`);
    }
  }
}
