// POST /v1/access/{submissionId}/chat/completions: OpenAI-compatible brokered access for agencies.
import { Body, Controller, HttpCode, Param, Post, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { DataSource } from 'typeorm';
import { Caller, Principal, Roles } from '@vantage/auth';
import { Clock } from '@vantage/clock';
import { InputInvalidError } from '@vantage/contracts';
import { discard, OutboundResponse } from '@vantage/outbound';
import { ApiProblems, problemContent } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { KeyStreams } from '../orgs/key-streams';
import { ActiveStreams } from './active-streams';
import { AuthoriseAccessUseCase } from './authorise-access.use-case';
import { CheckAccessUseCase } from './check-access.use-case';
import { LabModelClient, UpstreamError } from './lab-model-client';
import { RecordAccessUseCase } from './record-access.use-case';
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
    const audit = (status: number, usage?: { prompt_tokens?: number; completion_tokens?: number }) =>
      this.recordAccess.execute({
        submissionId, agencyId: caller.orgId, at: started, status, stream, latencyMs: Math.round(performance.now() - t0),
        promptTokens: usage?.prompt_tokens, completionTokens: usage?.completion_tokens,
      }, this.dataSource.manager);
    const redact = (text: string) => text.split(target.apiKey).join('[REDACTED]');

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
    if (status >= 500 || status === 401 || status === 403) {
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
      let usage;
      try {
        usage = JSON.parse(text).usage;
      } catch {
        usage = undefined;
      }
      await audit(status, usage);
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
    let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
    // Whole lines only are passed on (the rest waits for the next chunk): a stream cut short ends on a well-formed
    // event of ours, not inside one of the lab's, and a credential split across chunks is still redacted.
    let pending = '';
    const decoder = new StringDecoder('utf8');
    const passThrough = new Transform({
      transform(chunk: Buffer | string, _enc, done) {
        pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
        const cut = pending.lastIndexOf('\n') + 1;
        const whole = pending.slice(0, cut);
        pending = pending.slice(cut);
        for (const line of whole.split('\n')) {
          if (line.startsWith('data: ') && line.includes('"usage"')) {
            try {
              usage = JSON.parse(line.slice(6)).usage ?? usage;
            } catch {
              /* not JSON: passed through as it is */
            }
          }
        }
        done(null, whole ? redact(whole) : undefined);
      },
      flush(done) {
        const rest = pending + decoder.end();
        done(null, rest ? redact(rest) : undefined);
      },
    });
    /** Ends the stream early with an event of ours; the lab's unfinished line is dropped. */
    const endWith = (event: Record<string, unknown>) => {
      pending = '';
      passThrough.end(`data: ${JSON.stringify(event)}\n\n`);
    };
    const source = upstream.body;
    let ended = false;
    const finish = (status: number) => {
      if (ended) return;
      ended = true;
      clearInterval(recheck);
      release();
      releaseKey();
      void audit(status, usage);
    };
    abort.signal.addEventListener('abort', () => {
      // Tell the client why, then end the stream.
      const revoked = abort.signal.reason === KEY_REVOKED;
      endWith(
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
      endWith({ error: { message: failure.message, type: 'upstream_error', code: failure.code } });
      finish(502);
    });
    source.on('end', () => finish(status));
    reply.raw.on('close', () => {
      if (!ended) {
        source.destroy();
        finish(499);
      }
    });
    source.pipe(passThrough);
    // Cache-Control (no-store) is the gateway's, as on every answer (http/security-headers.ts).
    reply.status(status).header('content-type', 'text/event-stream').send(passThrough);
  }
}

function header(response: OutboundResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function checkChatRequest(body: Record<string, unknown>): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputInvalidError('the body must be a chat completions request', [{ field: '(body)', message: 'must be an object' }]);
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > 1000) {
    throw new InputInvalidError('messages must be a non-empty array', [{ field: 'messages', message: 'must be an array of 1 to 1000 messages' }]);
  }
  messages.forEach((m, i) => {
    if (!m || typeof m !== 'object' || typeof (m as any).role !== 'string') {
      throw new InputInvalidError(`messages[${i}] is not a message`, [{ field: `messages[${i}].role`, message: 'must be a string' }]);
    }
  });
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw new InputInvalidError('stream must be a boolean', [{ field: 'stream', message: 'must be a boolean' }]);
  }
}
