// A submission's endpoint with its credential opened, for the services that call the model (the handler answers
// it sealed to the asking service).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotFoundError, SubmissionEndpoint } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { UseCase } from '@vantage/runtime';
import { SubmissionStore } from './submission-store';

export interface GetSubmissionEndpointCommand {
  submissionId: string;
}

@Injectable()
export class GetSubmissionEndpointUseCase implements UseCase<GetSubmissionEndpointCommand, SubmissionEndpoint> {
  constructor(
    private readonly submissions: SubmissionStore,
    private readonly secrets: SecretBox,
  ) {}

  async execute(command: GetSubmissionEndpointCommand, tx: EntityManager): Promise<SubmissionEndpoint> {
    const s = await this.submissions.find(tx, command.submissionId);
    if (!s) throw new NotFoundError('submission');
    return {
      submissionId: s.id,
      baseUrl: s.endpointBaseUrl,
      modelId: s.endpointModelId,
      apiKey: this.secrets.open(s.endpointApiKeySealed, s.id),
      status: s.status,
    };
  }
}
