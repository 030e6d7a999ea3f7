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
   * The lab's credential. It crosses the bus only inside the answer, which is sealed to the asking service's own key
   * (libs/messaging rpc-sealing.ts), so nothing else, the NATS server included, can read it. Never logged, stored in
   * clear or put in an event.
   */
  apiKey: string;
  status: 'active' | 'withdrawn' | 'released';
}

export const GetSubmissionEndpoint = defineRpc<GetSubmissionEndpointRequest, SubmissionEndpoint>({
  domain: 'intake',
  verb: 'get-submission-endpoint',
  request: GetSubmissionEndpointRequest,
  description: "The model endpoint of a submission, with the lab's credential, for the services that call the model (the answer is sealed to the asker).",
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
