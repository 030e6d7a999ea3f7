// Brokered model access: an agency with an active grant on an open window calls the lab's model through
// the gateway. The lab's credential is added here and never leaves; every call is audited.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { CallerIdentity, ConflictError, DomainError, ForbiddenError } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { DestinationRefusedError, isAnswerTooLarge, OutboundClient, OutboundResponse, RedirectRefusedError } from '@vantage/outbound';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';
import { Submission } from '../submissions/submission.entity';

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
export class BrokerAccessUseCase {
  private readonly log = new Logger(BrokerAccessUseCase.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly outbound: OutboundClient,
    @Inject(SERVICE_CONFIG) readonly config: IntakeConfig,
  ) {}

  /**
   * Whether this agency may call this model now. No grant (or no consent, or no such submission): 403 —
   * which never reveals whether the submission exists. A grant but the window not open: 409.
   */
  async authorise(submissionId: string, caller: CallerIdentity): Promise<UpstreamTarget> {
    const [row] = await this.dataSource.query(
      `SELECT s.status, w.state AS window_state, w.agencies, g.state AS grant_state
       FROM submissions s
       LEFT JOIN access_windows w ON w.submission_id = s.id
       LEFT JOIN access_grants g ON g.submission_id = s.id AND g.agency_id = $2
       WHERE s.id = $1`,
      [submissionId, caller.orgId],
    );
    const consents = row && (row.grant_state || (row.window_state && (row.agencies === null || row.agencies.includes(caller.orgId))));
    if (!row || !consents) throw new ForbiddenError('your agency holds no grant for this model');
    const open = row.status === 'active' && row.window_state === 'open' && row.grant_state === 'active';
    if (!open) throw new ConflictError('window_not_open', 'the access window for this model is not open');
    const s = await this.dataSource.getRepository(Submission).findOneByOrFail({ id: submissionId });
    return {
      submissionId,
      url: `${s.endpointBaseUrl.replace(/\/+$/, '')}/chat/completions`,
      modelId: s.endpointModelId,
      apiKey: this.secrets.open(s.endpointApiKeySealed, s.id),
    };
  }

  /** Whether access is still allowed, for streams in flight (checked every few hundred ms). */
  async stillAllowed(submissionId: string, agencyId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT 1 FROM submissions s JOIN access_windows w ON w.submission_id = s.id
       JOIN access_grants g ON g.submission_id = s.id AND g.agency_id = $2
       WHERE s.id = $1 AND s.status = 'active' AND w.state = 'open' AND g.state = 'active'`,
      [submissionId, agencyId],
    );
    return !!row;
  }

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

  async audit(entry: { submissionId: string; agencyId: string; at: Date; status: number; latencyMs: number; stream: boolean; promptTokens?: number; completionTokens?: number }): Promise<void> {
    try {
      await this.dataSource.query(
        `INSERT INTO access_log (id, submission_id, agency_id, at, status, latency_ms, stream, prompt_tokens, completion_tokens)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [uuidv7({ msecs: entry.at.getTime() }), entry.submissionId, entry.agencyId, entry.at, entry.status, entry.latencyMs, entry.stream,
          entry.promptTokens ?? null, entry.completionTokens ?? null],
      );
    } catch (e) {
      this.log.error(`could not audit a brokered call to ${entry.submissionId}: ${(e as Error).message}`);
    }
  }

  now(): Date {
    return this.clock.now();
  }
}
