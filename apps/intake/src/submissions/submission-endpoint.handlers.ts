// Hands a submission's endpoint to the services that call the model, over request-reply only (never in an event).
// Only the services its contract names may ask (their signed identity is checked before this runs, and NATS
// permissions keep everyone else off the subject), and the lab's credential goes back sealed to the asking service's
// own key: nothing on the bus, the NATS server included, ever sees it in clear.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GetSubmissionEndpoint, GetSubmissionEndpointRequest, NotFoundError, SubmissionEndpoint } from '@vantage/contracts';
import { SecretBox, ServiceDirectory } from '@vantage/crypto';
import { OnRequest, RpcContext } from '@vantage/messaging';
import { Submission } from './submission.entity';

@Injectable()
export class SubmissionEndpointHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly services: ServiceDirectory,
  ) {}

  @OnRequest(GetSubmissionEndpoint)
  async getEndpoint(request: GetSubmissionEndpointRequest, ctx: RpcContext): Promise<SubmissionEndpoint> {
    const s = await this.dataSource.getRepository(Submission).findOneBy({ id: request.submissionId });
    if (!s) throw new NotFoundError('submission');
    return {
      submissionId: s.id,
      baseUrl: s.endpointBaseUrl,
      modelId: s.endpointModelId,
      apiKeySealed: await this.services.sealTo(ctx.callerService, this.secrets.open(s.endpointApiKeySealed, s.id), s.id),
      status: s.status,
    };
  }
}
