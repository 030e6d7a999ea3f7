// Hands a submission's endpoint to the services that call the model, over request-reply only (never in an event).
// Only the services its contract names may ask (their signed identity is checked before this runs, and NATS
// permissions keep everyone else off the subject), and the answer goes back sealed to the asking service's own key
// (rpc-sealing.ts): nothing on the bus, the NATS server included, ever sees the lab's credential.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GetSubmissionEndpoint, GetSubmissionEndpointRequest, SubmissionEndpoint } from '@vantage/contracts';
import { OnRequest } from '@vantage/messaging';
import { GetSubmissionEndpointUseCase } from './get-submission-endpoint.use-case';

@Injectable()
export class SubmissionEndpointHandlers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly getSubmissionEndpoint: GetSubmissionEndpointUseCase,
  ) {}

  @OnRequest(GetSubmissionEndpoint)
  getEndpoint(request: GetSubmissionEndpointRequest): Promise<SubmissionEndpoint> {
    return this.getSubmissionEndpoint.execute({ submissionId: request.submissionId }, this.dataSource.manager);
  }
}
