// The CloudEvents 1.0 structured JSON envelope every Vantage event travels in.
import { CloudEvent, ValidationError as CloudEventValidationError } from 'cloudevents';
import { v7 as uuidv7 } from 'uuid';
import { Audience } from './audience';
import { EventDefinition } from './event-definition';
import { PayloadInvalidError, validatePayload } from './validation';

export interface EventEnvelope<T = unknown> {
  specversion: '1.0';
  /** UUIDv7; also the JetStream `Nats-Msg-Id`, so a republish is dropped by the server. */
  id: string;
  /** The producing service. */
  source: string;
  /** `gov.vantage.<domain>.<entity>.<event>.v<N>` */
  type: string;
  time: string;
  /** The entity id the event is about. */
  subject: string;
  datacontenttype: 'application/json';
  data: T;
  traceparent: string;
  correlationid: string;
  /** Encoded {@link Audience}. */
  audience: string;
}

export interface NewEvent<T> {
  source: string;
  subject: string;
  data: T;
  audience: Audience;
  time: Date;
  traceparent?: string;
  correlationId?: string;
}

/** W3C trace context: version 00, random trace and span ids, sampled. */
export function newTraceparent(traceId = randomHex(16)): string {
  return `00-${traceId}-${randomHex(8)}-01`;
}

export function traceIdOf(traceparent: string): string | undefined {
  return /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent)?.[1];
}

function randomHex(bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++) out += Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
  return out;
}

/**
 * Builds a validated envelope for a defined event. The payload is checked against its contract class. The envelope's
 * own fields are made here from a definition, a service name, an entity id, a clock and fresh ids, so it is a valid
 * CloudEvent by construction (a unit test holds every catalogue definition to the CloudEvents SDK's validation); the
 * SDK checks each envelope where it cannot be trusted, as it comes off the bus (parseEvent).
 */
export function createEvent<T extends object>(def: EventDefinition<T>, spec: NewEvent<T>): EventEnvelope<T> {
  if (!spec.source || !spec.subject) throw new EnvelopeInvalidError(`${def.type} needs a source and a subject`);
  const data = toPlain(spec.data) as T;
  validatePayload(def.payload, data, def.type);
  const traceparent = spec.traceparent ?? newTraceparent();
  const envelope: EventEnvelope<T> = {
    specversion: '1.0',
    id: uuidv7({ msecs: spec.time.getTime() }),
    source: spec.source,
    type: def.type,
    time: spec.time.toISOString(),
    subject: spec.subject,
    datacontenttype: 'application/json',
    data,
    traceparent,
    correlationid: spec.correlationId ?? traceIdOf(traceparent) ?? uuidv7(),
    audience: spec.audience.encode(),
  };
  return envelope;
}

export class EnvelopeInvalidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeInvalidError';
  }
}

/** Parses bytes off the bus into an envelope whose payload passed its contract. Throws on anything else. */
export function parseEvent<T extends object>(def: EventDefinition<T>, raw: unknown): EventEnvelope<T> {
  if (raw === null || typeof raw !== 'object') throw new EnvelopeInvalidError('event is not a JSON object');
  const envelope = raw as EventEnvelope<T>;
  assertCloudEvent(envelope);
  if (envelope.type !== def.type) throw new EnvelopeInvalidError(`event type ${envelope.type} is not ${def.type}`);
  for (const ext of ['traceparent', 'correlationid', 'audience'] as const) {
    if (typeof envelope[ext] !== 'string') throw new EnvelopeInvalidError(`event extension ${ext} is missing`);
  }
  Audience.parse(envelope.audience);
  validatePayload(def.payload, envelope.data, def.type);
  return envelope;
}

function assertCloudEvent(envelope: EventEnvelope<unknown>): void {
  try {
    new CloudEvent({ ...envelope }, true);
  } catch (e) {
    if (e instanceof CloudEventValidationError) {
      const detail = (e.errors ?? []).map((x: any) => `${x.instancePath || '(root)'} ${x.message ?? x}`).join('; ');
      throw new EnvelopeInvalidError(`not a valid CloudEvent: ${detail || e.message}`);
    }
    throw e;
  }
}

/** The value as JSON carries it (toJSON applied, undefined and functions left out), without a round trip through text. */
function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return toPlain((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return value.map((v) => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : toPlain(v)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function' && typeof v !== 'symbol') out[key] = toPlain(v);
  }
  return out;
}

export { PayloadInvalidError };
