// The request-reply the gateway's live stream (`GET /v1/events`) is made of: "the events after sequence S that
// the caller may see, of these types, up to N, waiting up to W ms for one". The gateway holds the HTTP stream;
// the notifier, which owns the events and their audiences, decides what the caller sees.
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { defineRpc } from '../rpc-definition';

/** The longest one read may wait for a new event; the gateway's heartbeat interval is well below it. */
export const MAX_WAIT_MS = 60_000;

export class ReadEventStreamRequest {
  /** The sequence last seen (the stream's `id:`); absent: start from now. Decimal, since it is a bigint. */
  @IsOptional() @Matches(/^\d{1,18}$/)
  after?: string;

  /** Exact event types or prefixes ending in `*`; absent: every type. */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true })
  types?: string[];

  @IsInt() @Min(1) @Max(1000)
  limit: number;

  @IsInt() @Min(0) @Max(MAX_WAIT_MS)
  waitMs: number;
}

export interface StreamedEvent {
  /** The event's sequence in the notifier's record, as a decimal string. */
  seq: string;
  type: string;
  /** The CloudEvent JSON without `audience`. */
  body: string;
}

export interface EventStreamPage {
  events: StreamedEvent[];
  /** Where the next read starts: past every event looked at, including those the caller may not see. */
  cursor: string;
}

export const ReadEventStream = defineRpc<ReadEventStreamRequest, EventStreamPage>({
  domain: 'notify',
  verb: 'read-event-stream',
  request: ReadEventStreamRequest,
  description: 'The events after a sequence that the caller may see, matching type patterns; waits a bounded time for one.',
});
