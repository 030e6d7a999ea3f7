// GET /v1/events: a live text/event-stream of the events the caller may see. The gateway only holds the HTTP
// stream; each chunk is a bounded long-poll read from the notifier, which owns the events and decides, from each
// event's audience, what the caller sees. `id:` is the notifier's sequence, so `Last-Event-ID` resumes after it.
import { Controller, Get, Headers, Inject, OnModuleDestroy, Query, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { Gauge } from 'prom-client';
import { Caller, Principal, Roles } from '@vantage/auth';
import { CallerIdentity, DomainError, EXAMPLE_IDS, InputInvalidError } from '@vantage/contracts';
import { RpcClient } from '@vantage/messaging';
import { Metrics } from '@vantage/observability';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';
import { ApiProblems } from '../http/api-problems.decorator';
import { KeyStreams } from '../orgs/key-streams';
import { EventStreamPage, ReadEventStream } from '@vantage/contracts';

const EVENT_STREAM_EXAMPLE =
  'retry: 1000\n\n' +
  `id: 4711\ndata: ${JSON.stringify({
    specversion: '1.0', id: EXAMPLE_IDS.event, source: 'window-scheduler', type: 'gov.vantage.window.window.opened.v1', time: '2026-11-28T00:00:00.000Z',
    subject: EXAMPLE_IDS.submission, datacontenttype: 'application/json',
    data: { submissionId: EXAMPLE_IDS.submission, labId: EXAMPLE_IDS.lab, opensAt: '2026-11-28T00:00:00.000Z', closesAt: '2026-12-20T00:00:00.000Z' },
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', correlationid: '4bf92f3577b34da6a3ce929d0e0e4736',
  })}\n\n` +
  ': keep-alive\n\n';

/** After the notifier could not answer, the stream asks again this much later (heartbeats continue meanwhile). */
const RETRY_PAUSE_MS = 1000;

class EventsQuery {
  @ApiPropertyOptional({ description: 'Comma list of exact event types or prefixes ending in * (default: every type)', example: 'gov.vantage.window.*' })
  @IsOptional() @IsString()
  types?: string;

  @ApiPropertyOptional({ description: 'Resume after this event id, for clients that cannot send the Last-Event-ID header' })
  @IsOptional() @IsString()
  lastEventId?: string;
}

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1')
export class EventsController implements OnModuleDestroy {
  /** Ends each open stream: at shutdown they end first, so that closing the server does not wait for them. */
  private readonly open = new Set<() => void>();

  constructor(
    private readonly rpc: RpcClient,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
    private readonly keyStreams: KeyStreams,
    metrics: Metrics,
  ) {
    const open = this.open;
    new Gauge({
      name: 'vantage_event_streams_open',
      help: 'GET /v1/events streams this gateway is serving (a closed client is released at once, not at its next heartbeat)',
      registers: [metrics.registry],
      collect() {
        this.set(open.size);
      },
    });
  }

  @Get('events')
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({
    operationId: 'streamEvents',
    summary:
      'A live text/event-stream of the events your organisation may see (?types=…). Each event has its sequence as `id:`; ' +
      'reconnect with Last-Event-ID (or ?lastEventId=) to resume with no gap. Idle streams get `: keep-alive` comments. The stream ends ' +
      'when its API key is revoked; one key holds at most 10 streams at once by default (429 too_many_streams). Roles: agency, lab, clearinghouse, operator.',
  })
  // Lower case as the route reads it (@Headers('last-event-id')), so that the two are one documented parameter.
  @ApiHeader({ name: 'last-event-id', required: false, description: 'Last-Event-ID: the `id:` of the last event you received; the stream resumes after it' })
  @ApiOkResponse({
    description: 'The stream: `retry:`, then per event `id: <sequence>` and `data: <CloudEvent JSON>`; `: keep-alive` comments while idle',
    content: {
      'text/event-stream': {
        schema: { type: 'string', description: 'Server-sent events; each `data:` is a CloudEvent (see /asyncapi.json for every type and its data)' },
        example: EVENT_STREAM_EXAMPLE,
      },
    },
  })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  async stream(
    @Caller() caller: Principal,
    @Query() query: EventsQuery,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const types = parseTypes(query.types);
    const identity: CallerIdentity = {
      orgId: caller.orgId,
      kind: caller.kind,
      keyId: caller.keyId,
      ...(caller.clearance ? { clearance: caller.clearance } : {}),
    };
    // Aborted when the client goes: the read in progress is given up at once, its reply subscription with it.
    const gone = new AbortController();
    const read = (after: string | undefined, waitMs: number): Promise<EventStreamPage> =>
      this.rpc.request(
        ReadEventStream,
        { ...(after !== undefined ? { after } : {}), ...(types ? { types } : {}), limit: this.config.EVENT_STREAM_BATCH, waitMs },
        { caller: identity, timeoutMs: waitMs + this.config.RPC_TIMEOUT_MS, signal: gone.signal },
      );

    // Counted against the key's streams before anything else (one too many is a 429), and ended if the key is revoked.
    let keyRevoked = false;
    let endRevoked: () => void = () => undefined;
    const release = this.keyStreams.open(caller.keyId, () => {
      keyRevoked = true;
      endRevoked();
    });

    // The first read does not wait: it checks the request (a bad type pattern is a 400 naming it) before the
    // response is committed to a stream, and fixes "now" for a client that gives no Last-Event-ID.
    let page: EventStreamPage;
    try {
      page = await read(parseLastEventId(lastEventIdHeader, query.lastEventId), 0);
      if (keyRevoked) throw new UnauthorizedException('the API key is not valid');
    } catch (e) {
      release();
      throw e;
    }

    const out = new PassThrough();
    let closed = false;
    let wakeClosed: () => void = () => undefined;
    const whenClosed = new Promise<void>((resolve) => (wakeClosed = resolve));
    const end = () => {
      if (closed) return;
      closed = true;
      gone.abort();
      wakeClosed();
      out.end();
      release();
    };
    // A comment tells the client why; an EventSource that reconnects is then refused (401) and stops.
    endRevoked = () => {
      if (!closed) out.write(': the API key was revoked\n\n');
      end();
    };
    this.open.add(end);
    reply.raw.on('close', end);
    reply
      .status(200)
      // Cache-Control (no-store) is the gateway's, as on every answer (http/security-headers.ts).
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('x-accel-buffering', 'no')
      // A stream's connection is not reused: once it ends, the socket goes with it, even while the server closes.
      .header('connection', 'close')
      .send(out);

    const heartbeatMs = this.config.EVENT_STREAM_HEARTBEAT_MS;
    // Waits for the socket to take more, unless the client has gone.
    const write = async (text: string) => {
      if (closed) return;
      if (!out.write(text)) await Promise.race([new Promise((resolve) => out.once('drain', resolve)), whenClosed]);
    };
    try {
      // A reconnecting EventSource waits this long; it also opens the stream, so the client sees the headers at once.
      await write(`retry: ${RETRY_PAUSE_MS}\n\n`);
      let lastWrite = Date.now();
      let cursor = page.cursor;
      for (;;) {
        for (const event of page.events) await write(`id: ${event.seq}\ndata: ${event.body}\n\n`);
        if (page.events.length) lastWrite = Date.now();
        cursor = page.cursor;
        if (closed) break;
        if (Date.now() - lastWrite >= heartbeatMs) {
          await write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        if (closed) break;
        const waitMs = Math.max(0, lastWrite + heartbeatMs - Date.now());
        try {
          // A client that goes away ends the stream at once, not when this read returns: the read is abandoned.
          page = await read(cursor, waitMs);
        } catch (e) {
          if (closed) break;
          // The response is already a stream: an error can only end it, and the client resumes with Last-Event-ID.
          if (!(e instanceof DomainError) || e.status < 500) {
            out.end();
            break;
          }
          // The notifier is away or slow: keep the stream (and its heartbeats), and ask again shortly.
          page = { events: [], cursor };
          await Promise.race([new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_PAUSE_MS, waitMs))), whenClosed]);
        }
      }
    } finally {
      this.open.delete(end);
      release();
    }
  }

  onModuleDestroy(): void {
    for (const end of [...this.open]) end();
  }
}

function parseTypes(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const types = raw.split(',').map((t) => t.trim());
  if (types.some((t) => !t)) {
    throw new InputInvalidError('types must be a comma list of event types or prefixes ending in *', [
      { field: 'types', message: 'has an empty entry' },
    ]);
  }
  if (types.length > 50) throw new InputInvalidError('types has more than 50 patterns', [{ field: 'types', message: 'at most 50 patterns' }]);
  return types;
}

function parseLastEventId(header: string | undefined, query: string | undefined): string | undefined {
  const field = header !== undefined && header !== '' ? 'Last-Event-ID' : 'lastEventId';
  const value = header !== undefined && header !== '' ? header : query;
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,18}$/.test(value.trim())) {
    throw new InputInvalidError(`${field} must be an event id this stream sent`, [{ field, message: 'must be a non-negative integer' }]);
  }
  return value.trim();
}
