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
  /**
   * The lab's credential, sealed to the calling service's own key (HPKE, see libs/crypto sealing): only that service
   * can open it, so it never crosses the bus in clear. Never logged, stored in clear or put in an event.
   */
  apiKeySealed: string;
  status: 'active' | 'withdrawn' | 'released';
}

export const GetSubmissionEndpoint = defineRpc<GetSubmissionEndpointRequest, SubmissionEndpoint>({
  domain: 'intake',
  verb: 'get-submission-endpoint',
  request: GetSubmissionEndpointRequest,
  description: "The model endpoint of a submission, with the lab's credential sealed to the calling service, for the services that call the model.",
  calledBy: ['bench'],
});

/** What another service may need to know of a submission, without its credential. */
export interface SubmissionFacts {
  submissionId: string;
  labId: string;
  declaredTrainingFlop?: number;
  status: 'active' | 'withdrawn' | 'released';
}

export const GetSubmissionFacts = defineRpc<GetSubmissionEndpointRequest, SubmissionFacts>({
  domain: 'intake',
  verb: 'get-submission-facts',
  request: GetSubmissionEndpointRequest,
  description:
    "A submission's owner, declared training compute and status, for a service that must not depend on having seen submission.received first (events of different streams arrive in no set order). Services' use only.",
  calledBy: ['bench'],
});
