// POST /v1/access/{submissionId}/chat/completions: OpenAI-compatible brokered access for agencies.
import { Body, Controller, HttpCode, Param, Post, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Caller, Principal, Roles } from '@vantage/auth';
import { Clock } from '@vantage/clock';
import { discard, OutboundResponse } from '@vantage/outbound';
import { ApiProblems, problemContent } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { KeyStreams } from '../orgs/key-streams';
import { ActiveStreams } from './active-streams';
import { AuthoriseAccessUseCase } from './authorise-access.use-case';
import { checkChatRequest, isLabFailure, redactor, TokenUsage, usageOfAnswer } from './chat-completion';
import { CheckAccessUseCase } from './check-access.use-case';
import { LabModelClient, UpstreamError } from './lab-model-client';
import { RecordAccessUseCase } from './record-access.use-case';
import { sseRelay } from './sse-relay';
import { CHAT_COMPLETION_EXAMPLE, CHAT_REQUEST_EXAMPLE, CHAT_STREAM_EXAMPLE } from './dto/chat-completion.schemas';

/** How often a stream in flight re-checks that access still holds (every replica, whoever got the event). */
const RECHECK_MS = 250;

/** Why a stream was cut when its API key was revoked (the abort's reason). */
const KEY_REVOKED = new Error('the API key was revoked');

/** A request the lab's model refuses comes back as the model answered it (OpenAI style), not as a problem. */
const UPSTREAM = { 'application/json': { schema: { $ref: '#/components/schemas/UpstreamError' } } };

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/access')
export class AccessController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly authoriseAccess: AuthoriseAccessUseCase,
    private readonly checkAccess: CheckAccessUseCase,
    private readonly recordAccess: RecordAccessUseCase,
    private readonly labModel: LabModelClient,
    private readonly clock: Clock,
    private readonly streams: ActiveStreams,
    private readonly keyStreams: KeyStreams,
  ) {}

  @Post(':submissionId/chat/completions')
  @HttpCode(200)
  @Roles('agency')
  @ApiOperation({
    operationId: 'brokerChatCompletion',
    summary:
      "OpenAI-compatible chat completions against the lab's model while the window is open and your agency holds a grant " +
      "(streaming included). The lab's credential and model id are added by the gateway. No grant: 403; window not open: 409. " +
      'A stream ends when access ends or its API key is revoked; one key holds at most 10 streams at once by default (429 too_many_streams). Roles: agency.',
    description:
      "The answer is the lab's model's, passed through: `application/json` (a chat.completion) or, with `stream: true`, a " +
      '`text/event-stream` of chat.completion.chunk events ending `data: [DONE]`. A stream that access ends part-way (the window closes, ' +
      'the grant is revoked) or that the model breaks off ends with one `data: {"error": {…}}` event. A request the model itself ' +
      'refuses (4xx other than 401/403) comes back with its status and its own OpenAI-style error body; failures of the model ' +
      '(5xx, its own 401/403, an answer too large) are the gateway\'s 502.',
  })
  @ApiBody({ schema: { $ref: '#/components/schemas/ChatCompletionRequest' }, examples: { question: { summary: 'A question to the model', value: CHAT_REQUEST_EXAMPLE } } })
  @ApiOkResponse({
    description: "The model's answer",
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/ChatCompletion' }, example: CHAT_COMPLETION_EXAMPLE },
      'text/event-stream': { schema: { type: 'string', description: 'Server-sent events: `data: <chat.completion.chunk JSON>` lines, then `data: [DONE]`' }, example: CHAT_STREAM_EXAMPLE },
    },
  })
  @ApiProblems(401, 403, 409, 502, 504)
  @ApiResponse({ status: 400, description: 'Malformed request (problem+json), or the model refused it (its own error)', content: problemContent(UPSTREAM) })
  @ApiResponse({ status: 422, description: 'The model refused the request (its own error)', content: problemContent(UPSTREAM) })
  @ApiResponse({ status: 429, description: "Your key's rate limit (problem+json), or the model's own (its error; see Retry-After)", content: problemContent(UPSTREAM) })
  async complete(
    @Caller() caller: Principal,
    @Param('submissionId', EntityIdPipe) submissionId: string,
    @Body() body: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    checkChatRequest(body);
    const target = await this.authoriseAccess.execute({ caller, submissionId }, this.dataSource.manager);
    const started = this.clock.now();
    const t0 = performance.now();
    const abort = new AbortController();
    const stream = body.stream === true;
    const audit = (status: number, usage?: TokenUsage) =>
      this.recordAccess.execute({
        submissionId, agencyId: caller.orgId, at: started, status, stream, latencyMs: Math.round(performance.now() - t0),
        promptTokens: usage?.prompt_tokens, completionTokens: usage?.completion_tokens,
      }, this.dataSource.manager);
    const redact = redactor(target.apiKey);

    // A stream counts against its key's streams from before the lab is called (one too many is a 429 and costs the
    // lab nothing), and ends if the key is revoked, as when access ends.
    const releaseKey = stream ? this.keyStreams.open(caller.keyId, () => abort.abort(KEY_REVOKED)) : () => undefined;
    let upstream: OutboundResponse;
    let settled: () => void;
    try {
      ({ response: upstream, settled } = await this.labModel.call(target, body, abort.signal));
    } catch (e) {
      releaseKey();
      if (abort.signal.reason === KEY_REVOKED) {
        await audit(401);
        throw new UnauthorizedException('the API key is not valid');
      }
      await audit(e instanceof UpstreamError ? e.status : 409);
      throw e;
    }
    const status = upstream.statusCode;
    // Only a streamed success stays open: anything else gives its slot back now.
    if (status < 200 || status >= 300) releaseKey();
    // The lab's own auth failures are the lab's problem, not the agency's: report them as a bad gateway.
    if (isLabFailure(status)) {
      settled();
      await discard(upstream);
      await audit(502);
      throw new UpstreamError(502, `the lab's model answered ${status}`);
    }

    if (!stream || status < 200 || status >= 300) {
      let text: string;
      try {
        text = redact(await this.labModel.readAll(upstream, settled));
      } catch (e) {
        await audit(e instanceof UpstreamError ? e.status : 504);
        throw e;
      }
      await audit(status, usageOfAnswer(text));
      const retryAfter = header(upstream, 'retry-after');
      if (retryAfter) reply.header('retry-after', retryAfter);
      reply.status(status).header('content-type', header(upstream, 'content-type') ?? 'application/json').send(text);
      return;
    }

    // Streaming: pass the server-sent events through, redacted, ended at once if access ends.
    settled();
    const release = this.streams.add(submissionId, caller.orgId, abort);
    const recheck = setInterval(() => {
      void this.checkAccess.execute({ submissionId, agencyId: caller.orgId }, this.dataSource.manager).then((ok) => ok || abort.abort(new Error('access ended')), () => undefined);
    }, RECHECK_MS);
    // Whole lines only are passed on, redacted; an early end is an event of ours (sse-relay.ts).
    const relay = sseRelay(redact);
    const source = upstream.body;
    let ended = false;
    const finish = (status: number) => {
      if (ended) return;
      ended = true;
      clearInterval(recheck);
      release();
      releaseKey();
      void audit(status, relay.usage());
    };
    abort.signal.addEventListener('abort', () => {
      // Tell the client why, then end the stream.
      const revoked = abort.signal.reason === KEY_REVOKED;
      relay.endWith(
        revoked
          ? { error: { message: 'the API key was revoked', type: 'key_revoked' } }
          : { error: { message: 'access to this model has ended', type: 'access_ended' } },
      );
      source.destroy();
      finish(revoked ? 401 : 409);
    });
    source.on('error', (e) => {
      if (abort.signal.aborted) return;
      // Past the answer cap (or broken off): the agency is told why, and the call is audited as the lab's failure.
      const failure = this.labModel.failure(e);
      relay.endWith({ error: { message: failure.message, type: 'upstream_error', code: failure.code } });
      finish(502);
    });
    source.on('end', () => finish(status));
    reply.raw.on('close', () => {
      if (!ended) {
        source.destroy();
        finish(499);
      }
    });
    source.pipe(relay.stream);
    // Cache-Control (no-store) is the gateway's, as on every answer (http/security-headers.ts).
    reply.status(status).header('content-type', 'text/event-stream').send(relay.stream);
  }
}

function header(response: OutboundResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
