// A chunk of an upload's items: checked, then stored sealed; a chunk sent again (a retry) is taken once.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { AppendSuiteItemsRequest, CallerIdentity, NotFoundError } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { acceptChunk, assertMayAddSuites } from './suite';
import { SuiteStore } from './suite-store';

export interface AppendSuiteItemsCommand extends AppendSuiteItemsRequest {
  caller: CallerIdentity;
}

@Injectable()
export class AppendSuiteItemsUseCase implements UseCase<AppendSuiteItemsCommand, { itemCount: number }> {
  constructor(
    private readonly suites: SuiteStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: AppendSuiteItemsCommand, tx: EntityManager): Promise<{ itemCount: number }> {
    assertMayAddSuites(command.caller);
    const upload = await this.suites.lockUpload(tx, command.uploadId, this.clock.now());
    if (!upload) throw new NotFoundError('suite upload');
    const chunk = acceptChunk({ scorer: upload.scorer, itemCount: upload.item_count, nextSeq: upload.next_seq }, command);
    if (!chunk.repeat) await this.suites.appendChunk(tx, upload, command.seq, chunk.items);
    return { itemCount: chunk.itemCount };
  }
}
