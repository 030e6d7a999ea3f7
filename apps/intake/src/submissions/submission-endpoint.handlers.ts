// Hands a submission's endpoint to the services that call the model, over request-reply only (never in an event).
// Only the services its contract names may ask (their signed identity is checked before this runs, and NATS
// permissions keep everyone else off the subject), and the answer goes back sealed to the asking service's own key
// (rpc-sealing.ts): nothing on the bus, the NATS server included, ever sees the lab's credential.
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
