// Request-reply subjects intake answers.
import { IsUUID } from 'class-validator';
import { defineRpc } from '../rpc-definition';

export class GetSubmissionEndpointRequest {
  @IsUUID()
  submissionId: string;
}

export interface SubmissionEndpoint {
  submissionId: string;
  baseUrl: string;
  modelId: string;
  /** Decrypted for the calling service only; never logged, stored in clear or put in an event. */
  apiKey: string;
  status: 'active' | 'withdrawn' | 'released';
}

export const GetSubmissionEndpoint = defineRpc<GetSubmissionEndpointRequest, SubmissionEndpoint>({
  domain: 'intake',
  verb: 'get-submission-endpoint',
  request: GetSubmissionEndpointRequest,
  description: "The model endpoint of a submission, with the lab's credential, for the services that call the model. Operators' and services' use only.",
});
