// Hands the decrypted endpoint to the services that call the model, over request-reply only (never in an
// event). Only services on the bus can ask; NATS permissions in deploy/ keep organisations off this subject.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GetSubmissionEndpoint, GetSubmissionEndpointRequest, NotFoundError, SubmissionEndpoint } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { OnRequest } from '@vantage/messaging';
import { Submission } from './submission.entity';

@Injectable()
export class SubmissionEndpointHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  @OnRequest(GetSubmissionEndpoint)
  async getEndpoint(request: GetSubmissionEndpointRequest): Promise<SubmissionEndpoint> {
    const s = await this.dataSource.getRepository(Submission).findOneBy({ id: request.submissionId });
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
