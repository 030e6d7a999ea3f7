// Brokered model access: whether this agency may call this model now, and if so where the call goes (the lab's
// credential opened here; it never leaves the gateway).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { UseCase } from '@vantage/runtime';
import { SubmissionStore } from '../submissions/submission-store';
import { AccessStore } from './access-store';
import { assertAccess } from './brokered-access';
import { UpstreamTarget } from './lab-model-client';

export interface AuthoriseAccessCommand {
  /** The agency calling. */
  caller: CallerIdentity;
  submissionId: string;
}

@Injectable()
export class AuthoriseAccessUseCase implements UseCase<AuthoriseAccessCommand, UpstreamTarget> {
  constructor(
    private readonly access: AccessStore,
    private readonly submissions: SubmissionStore,
    private readonly secrets: SecretBox,
  ) {}

  /** No grant (or no such submission): 403, which never reveals whether it exists. A grant but the window not open: 409. */
  async execute(command: AuthoriseAccessCommand, tx: EntityManager): Promise<UpstreamTarget> {
    assertAccess(await this.access.standing(tx, command.submissionId, command.caller.orgId), command.caller.orgId);
    const s = (await this.submissions.find(tx, command.submissionId))!;
    return {
      submissionId: s.id,
      url: `${s.endpointBaseUrl.replace(/\/+$/, '')}/chat/completions`,
      modelId: s.endpointModelId,
      apiKey: this.secrets.open(s.endpointApiKeySealed, s.id),
    };
  }
}
