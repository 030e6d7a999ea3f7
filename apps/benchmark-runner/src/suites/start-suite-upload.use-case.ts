// An operator starts uploading a suite: its metadata now, the items in chunks after (append), then the seal.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, SuiteMetadataInput } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { assertMayAddSuites, existsError, UPLOAD_TTL_MS } from './suite';
import { SuiteStore } from './suite-store';

export interface StartSuiteUploadCommand {
  caller: CallerIdentity;
  suite: SuiteMetadataInput;
  /**
   * With an Idempotency-Key a suite of the same name and version is not refused here: the seal decides, where a
   * repeat of the key's first upload answers the first suite again.
   */
  idempotent: boolean;
}

@Injectable()
export class StartSuiteUploadUseCase implements UseCase<StartSuiteUploadCommand, { uploadId: string }> {
  constructor(
    private readonly suites: SuiteStore,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, suite, idempotent }: StartSuiteUploadCommand, tx: EntityManager): Promise<{ uploadId: string }> {
    assertMayAddSuites(caller);
    const now = this.clock.now();
    // Uploads left by an uploader that died are dropped here, by the next one: nothing else needs them.
    await this.suites.dropExpiredUploads(tx, now);
    if (!idempotent && (await this.suites.exists(tx, suite.name, suite.version))) throw existsError(suite.name, suite.version);
    return { uploadId: await this.suites.createUpload(tx, suite, now, new Date(now.getTime() + UPLOAD_TTL_MS)) };
  }
}
