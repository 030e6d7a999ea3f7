// The AsyncAPI 3.0 document of every subject and event, generated from the contract classes themselves, so
// subscribers read exactly what producers validate. `npm run docs` writes it; a test keeps the file current.
// class-transformer keeps its metadata storage out of its main export; the schema generator needs it for nested types.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { EVENT_CATALOGUE, RPC_CATALOGUE } from './catalogue';

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

export function buildAsyncApi(prefix = 'vantage'): Json {
  const schemas: Record<string, Json> = { CloudEventEnvelope: ENVELOPE, ...payloadSchemas() };
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  for (const def of [...EVENT_CATALOGUE].sort((a, b) => a.type.localeCompare(b.type))) {
    const name = key(def.type);
    const payloadName = def.payload.name;
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
    messages[name] = {
      name: def.subject(prefix),
      summary: def.description,
      contentType: 'application/json',
      payload: {
        type: 'object',
        required: ['data'],
        properties: {
          caller: { type: 'object', description: 'the identity the gateway authenticated' },
          idempotency: {
            type: 'object',
            description: "a creating call's Idempotency-Key and request body hash (submit-finding): a repeat gets the first answer",
            properties: { key: { type: 'string' }, requestHash: { type: 'string' } },
          },
          data: { $ref: `${REF}${def.request.name}` },
        },
      },
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
    servers: { local: { host: '127.0.0.1:4222', protocol: 'nats', description: 'one machine (npm start)' } },
    channels,
    operations,
    components: { schemas, messages },
  };
}
