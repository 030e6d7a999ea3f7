// Turns a complete upload into an active suite, in one transaction. With an Idempotency-Key the key is claimed
// here: a repeat of an upload already sealed under it answers the first suite, and its own copy is dropped.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, NotFoundError, SealSuiteUploadRequest, SuiteView } from '@vantage/contracts';
import { RpcIdempotency } from '@vantage/messaging';
import { IdempotencyKeys } from '@vantage/persistence';
import { UseCase } from '@vantage/runtime';
import { assertMayAddSuites, checkSealable, existsError, suiteView } from './suite';
import { SuiteStore } from './suite-store';

export interface SealSuiteUploadCommand extends SealSuiteUploadRequest {
  caller: CallerIdentity;
  idempotency?: RpcIdempotency;
}

@Injectable()
export class SealSuiteUploadUseCase implements UseCase<SealSuiteUploadCommand, SuiteView> {
  constructor(
    private readonly suites: SuiteStore,
    private readonly idempotencyKeys: IdempotencyKeys,
    private readonly clock: Clock,
  ) {}

  async execute(command: SealSuiteUploadCommand, tx: EntityManager): Promise<SuiteView> {
    assertMayAddSuites(command.caller);
    const claim = command.idempotency && { orgId: command.caller.orgId, ...command.idempotency };
    const sealed = await this.idempotencyKeys.run(tx, claim, this.clock.now(), () => this.seal(command, tx));
    if (sealed.replayed) await this.suites.dropUpload(tx, command.uploadId);
    return sealed.body;
  }

  private async seal(command: SealSuiteUploadCommand, tx: EntityManager): Promise<SuiteView> {
    const upload = await this.suites.lockUpload(tx, command.uploadId, this.clock.now());
    if (!upload) throw new NotFoundError('suite upload');
    const { itemCount, contentHash } = checkSealable(await this.suites.openChunks(tx, upload.id), command);
    const suite = await this.suites.createSuite(tx, upload, itemCount, contentHash, this.clock.now());
    if (!suite) {
      await this.suites.dropUpload(tx, upload.id);
      throw existsError(upload.name, upload.version);
    }
    return suiteView(suite);
  }
}
