// Calls a lab's model for a brokered request: the lab's credential and model id are added here and never leave;
// every failure is named for the agency without the credential or the endpoint.
import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, DomainError } from '@vantage/contracts';
import { DestinationRefusedError, isAnswerTooLarge, OutboundClient, OutboundResponse, RedirectRefusedError } from '@vantage/outbound';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';

/** Where an authorised call goes: the lab's chat completions URL, its model id and its credential (in clear). */
export interface UpstreamTarget {
  submissionId: string;
  url: string;
  modelId: string;
  apiKey: string;
}

/**
 * The lab's model failed the agency's call: 504 `model_timeout`, or 502 with the cause — `model_unavailable`,
 * `model_destination_refused` (the destination policy refuses the endpoint), `model_redirect_refused` (a 3xx,
 * not followed), `model_answer_too_large` (past OUTBOUND_MAX_RESPONSE_BYTES). Never the lab's credential or endpoint.
 */
export class UpstreamError extends DomainError {
  constructor(status: 502 | 504, message: string, code?: string) {
    super(code ?? (status === 504 ? 'model_timeout' : 'model_unavailable'), status, message);
  }
}

@Injectable()
export class LabModelClient {
  constructor(
    private readonly outbound: OutboundClient,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  /**
   * Calls the lab's endpoint with its credential and model id, through the destination policy. A refused
   * destination, a redirect or a network failure: 502 naming the cause; no answer before the deadline: 504. The
   * deadline runs until `settled()` is called (after the headers of a stream, after the whole body otherwise), so a
   * long stream is not cut by it.
   */
  async call(target: UpstreamTarget, body: Record<string, unknown>, signal: AbortSignal): Promise<{ response: OutboundResponse; settled: () => void }> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.config.BROKER_TIMEOUT_MS);
    const settled = () => clearTimeout(timer);
    try {
      const response = await this.outbound.request(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${target.apiKey}`, accept: body.stream ? 'text/event-stream' : 'application/json' },
        body: JSON.stringify({ ...body, model: target.modelId }),
        signal: AbortSignal.any([signal, deadline.signal]),
      });
      return { response, settled };
    } catch (e) {
      settled();
      if (e instanceof DestinationRefusedError) throw new UpstreamError(502, `the lab's endpoint is refused: it ${e.reason}`, 'model_destination_refused');
      if (e instanceof RedirectRefusedError) throw new UpstreamError(502, `the lab's model ${e.message}`, 'model_redirect_refused');
      if (deadline.signal.aborted) throw new UpstreamError(504, "the lab's model did not answer in time");
      if (signal.aborted) throw new ConflictError('window_not_open', 'access ended while the call was in flight');
      throw this.failure(e);
    }
  }

  /** Reads a whole answer under the call's deadline and the answer cap. */
  async readAll(response: OutboundResponse, settled: () => void): Promise<string> {
    try {
      return await response.body.text();
    } catch (e) {
      if (isAnswerTooLarge(e)) throw this.failure(e);
      throw new UpstreamError(504, "the lab's model did not finish its answer in time");
    } finally {
      settled();
    }
  }

  /** Why a call or its answer failed, for the agency (a streamed answer cut off uses it too). */
  failure(e: unknown): UpstreamError {
    if (isAnswerTooLarge(e)) {
      return new UpstreamError(502, `the lab's model answered more than ${this.outbound.maxResponseBytes} bytes (OUTBOUND_MAX_RESPONSE_BYTES); the answer was cut off`, 'model_answer_too_large');
    }
    return new UpstreamError(502, "the lab's model could not be reached");
  }
}
