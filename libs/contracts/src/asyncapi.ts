// The AsyncAPI 3.0 document of every subject and event, generated from the contract classes themselves, so
// subscribers read exactly what producers validate. `npm run docs` writes it; a test keeps the file current.
// class-transformer keeps its metadata storage out of its main export; the schema generator needs it for nested types.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { EVENT_CATALOGUE, RPC_CATALOGUE } from './catalogue';
import { EVENT_EXAMPLES, exampleEnvelope, RPC_EXAMPLES } from './examples';

type Json = Record<string, unknown>;

const REF = '#/components/schemas/';

function payloadSchemas(): Record<string, Json> {
  return validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: REF,
    additionalConverters: {
      isRfc3339: { type: 'string', format: 'date-time' },
    },
  }) as Record<string, Json>;
}

const ENVELOPE: Json = {
  type: 'object',
  description: 'CloudEvents 1.0 structured JSON envelope. `id` (UUIDv7) is also the JetStream Nats-Msg-Id.',
  required: ['specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'data', 'traceparent', 'correlationid', 'audience'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', format: 'uuid' },
    source: { type: 'string', description: 'the producing service' },
    type: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    subject: { type: 'string', description: 'the id of the entity the event is about' },
    datacontenttype: { const: 'application/json' },
    traceparent: { type: 'string', description: 'W3C trace context' },
    correlationid: { type: 'string' },
    audience: {
      type: 'string',
      description:
        'who may see the event: space-separated terms, each one condition (org:<id>, role:<kind>, clearance:<level>) or ' +
        'several joined by + that must all hold (org:<id>+clearance:secret: that organisation, only as an agency cleared for secret)',
    },
  },
};

const key = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_');

/** The header that says who asks (libs/crypto caller-token.ts; contracts may not import it). */
const CALLER_HEADER = 'Vantage-Caller';

export interface AsyncApiServer {
  host: string;
  protocol: string;
  description?: string;
}

/** The NATS server of one machine (`npm start`), named by the checked-in document. */
const LOCAL_SERVERS: Record<string, AsyncApiServer> = { local: { host: '127.0.0.1:4222', protocol: 'nats', description: 'one machine (npm start)' } };

/** `prefix`: of every subject, as the services are configured; `servers`: where readers connect (none: leave them out). */
export function buildAsyncApi(prefix = 'vantage', servers: Record<string, AsyncApiServer> = LOCAL_SERVERS): Json {
  const schemas: Record<string, Json> = { CloudEventEnvelope: ENVELOPE, ...payloadSchemas() };
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  for (const def of [...EVENT_CATALOGUE].sort((a, b) => a.type.localeCompare(b.type))) {
    const name = key(def.type);
    const payloadName = def.payload.name;
    const example = EVENT_EXAMPLES.find((e) => e.definition === def);
    const envelope = example && exampleEnvelope(example);
    messages[name] = {
      name: def.type,
      title: `${def.domain}.${def.entity}.${def.event} v${def.version}`,
      summary: def.description,
      contentType: 'application/cloudevents+json',
      headers: {
        type: 'object',
        properties: {
          'Nats-Msg-Id': { type: 'string', description: 'the event id: a republish is dropped by the server' },
          traceparent: { type: 'string' },
          correlationid: { type: 'string' },
        },
      },
      payload: {
        allOf: [
          { $ref: `${REF}CloudEventEnvelope` },
          { type: 'object', properties: { type: { const: def.type }, data: { $ref: `${REF}${payloadName}` } } },
        ],
      },
      ...(envelope
        ? {
            examples: [
              {
                name: 'example',
                summary: `${def.type} about ${envelope.subject}`,
                headers: { 'Nats-Msg-Id': envelope.id, traceparent: envelope.traceparent, correlationid: envelope.correlationid },
                payload: envelope,
              },
            ],
          }
        : {}),
    };
    channels[name] = {
      address: def.subject(prefix),
      description: `JetStream stream ${prefix.toUpperCase()}_${def.domain.toUpperCase()}`,
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
    };
    operations[`publish_${name}`] = {
      action: 'send',
      summary: `${def.domain} publishes ${def.type}`,
      channel: { $ref: `#/channels/${name}` },
      messages: [{ $ref: `#/channels/${name}/messages/${name}` }],
    };
  }
  for (const def of [...RPC_CATALOGUE].sort((a, b) => a.subject(prefix).localeCompare(b.subject(prefix)))) {
    const name = key(def.subject(prefix));
    const example = RPC_EXAMPLES.find((e) => e.definition === def);
    messages[name] = {
      name: def.subject(prefix),
      summary: def.description,
      description:
        'The body travels sealed (HPKE) to the answering service, bound to the subject: the payload below is what the seal holds. ' +
        `Who asks is not in it: ${CALLER_HEADER} carries it, signed.`,
      contentType: 'application/json',
      headers: {
        type: 'object',
        required: [CALLER_HEADER],
        properties: {
          [CALLER_HEADER]: {
            type: 'string',
            description:
              def.callers.kind === 'organisation'
                ? 'a token signed by the gateway: the organisation it acts for (id, kind, clearance, key id), the subject and a hash of the body'
                : `a token signed by the calling service (${def.callers.services.join(', ')}): the subject and a hash of the body`,
          },
          traceparent: { type: 'string' },
          correlationid: { type: 'string' },
        },
      },
      payload: {
        type: 'object',
        required: ['data'],
        properties: {
          idempotency: {
            type: 'object',
            description: "a creating call's Idempotency-Key and the hash of its request: a repeat gets the first answer, another body under the key a conflict",
            properties: { key: { type: 'string' }, requestHash: { type: 'string' } },
          },
          data: { $ref: `${REF}${def.request.name}` },
        },
      },
      ...(example
        ? { examples: [{ name: 'example', summary: `${def.verb} request`, payload: { ...(example.idempotency ? { idempotency: example.idempotency } : {}), data: example.data } }] }
        : {}),
    };
    channels[name] = {
      address: def.subject(prefix),
      description: 'core NATS request-reply (queue group: the owning service)',
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
    };
    operations[`request_${name}`] = {
      action: 'receive',
      summary: `${def.domain} answers ${def.verb}`,
      channel: { $ref: `#/channels/${name}` },
      messages: [{ $ref: `#/channels/${name}/messages/${name}` }],
      reply: { address: { location: '$message.header#/reply_to' } },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Vantage events and request-reply subjects',
      version: '1.0.0',
      description:
        'Every event is a CloudEvents 1.0 envelope on NATS JetStream; commands and queries are core NATS request-reply. ' +
        'Generated from libs/contracts by `npm run docs`. Nothing here approves, delays or blocks a release.',
    },
    defaultContentType: 'application/cloudevents+json',
    ...(Object.keys(servers).length ? { servers } : {}),
    channels,
    operations,
    components: { schemas, messages },
  };
}
