// An uploader gives up on an upload part-way: it is dropped with its chunks.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { assertMayAddSuites } from './suite';
import { SuiteStore } from './suite-store';

export interface DiscardSuiteUploadCommand {
  caller: CallerIdentity;
  uploadId: string;
}

@Injectable()
export class DiscardSuiteUploadUseCase implements UseCase<DiscardSuiteUploadCommand> {
  constructor(private readonly suites: SuiteStore) {}

  async execute({ caller, uploadId }: DiscardSuiteUploadCommand, tx: EntityManager): Promise<void> {
    assertMayAddSuites(caller);
    await this.suites.dropUpload(tx, uploadId);
  }
}
