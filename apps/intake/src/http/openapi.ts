// The live OpenAPI document (/openapi.json) and a browsable page (/docs), generated from the code.
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
// class-transformer keeps its metadata storage out of its main export; the schema generator needs it for nested types.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { OBSERVABILITY_ROUTES } from '@vantage/observability';
import { CHAT_SCHEMAS } from '../access/dto/chat-completion.schemas';
import { IntakeConfig } from '../config';
import { problemResponse } from './api-problems.decorator';
import { REQUEST_CONTENT_EXTENSION } from './api-request-content.decorator';

/** One tag per resource family; every operation carries exactly one of them (openapi-lint.int-spec.ts holds it to that). */
export const API_TAGS = [
  { name: 'organisations', description: 'Organisations of the programme (labs, agencies, clearinghouse analysts, operators) and their API keys. Operators only.' },
  { name: 'submissions', description: 'Models a lab submits for pre-release access, and the lab\'s self-service: reschedule, rotate the endpoint credential, withdraw, declare the release. Nothing here approves or blocks a release.' },
  { name: 'windows', description: 'Access windows: when granted agencies may use a submitted model (at most 30 days, never past the public release).' },
  { name: 'access', description: "Brokered model access: OpenAI-compatible chat completions against the lab's model while a window is open (the lab's credential never leaves Vantage), and its audit log." },
  { name: 'benchmarks', description: 'Benchmark suites (items sealed, never returned), their runs against submitted models, and the frontier decision.' },
  { name: 'vulnerabilities', description: 'The clearinghouse: findings, the cases they are deduplicated into, the case workflow under embargo, vendors, and advisories (OSV, CSAF 2.0, CVE JSON 5).' },
  { name: 'subscriptions', description: 'Webhook subscriptions (signed per Standard Webhooks), their delivery log and replay.' },
  { name: 'events', description: 'The live event stream (text/event-stream) of the events your organisation may see, resumable with Last-Event-ID.' },
  { name: 'feeds', description: "NATS credentials to read your organisation's own durable event feed." },
];

/** Error answers any route can give, whatever it declares: an unexpected failure, or Postgres or NATS out of reach. */
const ALWAYS_POSSIBLE = [500, 503];

export function installOpenApi(app: NestFastifyApplication, config: Pick<IntakeConfig, 'PUBLIC_BASE_URL'>): void {
  const document = buildOpenApi(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
}

export function buildOpenApi(app: NestFastifyApplication, config: Pick<IntakeConfig, 'PUBLIC_BASE_URL'>): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Vantage public API')
    .setDescription(
      'Voluntary pre-release access to frontier AI models, and the AI cybersecurity clearinghouse. ' +
        'Nothing in this API approves, delays or blocks a release.\n\n' +
        'Every `/v1` call takes an organisation API key (`Authorization: Bearer vnt_…`); each operation names the organisation kinds it admits ' +
        '(“Roles: …”). Errors are `application/problem+json` (RFC 9457) with a stable `code` and, for invalid input, `errors` naming each field. ' +
        'Creating calls accept an `Idempotency-Key`. Times are RFC 3339 UTC; ids are opaque strings; lists are `{items, nextCursor?}`. ' +
        'Events are described by the AsyncAPI document at `/asyncapi.json`.',
    )
    .setVersion('1')
    .addServer(config.PUBLIC_BASE_URL ? config.PUBLIC_BASE_URL.replace(/\/+$/, '') : '/', config.PUBLIC_BASE_URL ? 'This gateway' : 'This gateway (where this document was fetched from)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An organisation API key (vnt_…)' });
  for (const tag of API_TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build());
  // No licence is granted to this API description (package.json: UNLICENSED); naming one, with its URL, is the
  // programme owner's decision.
  document.info.license = { name: 'UNLICENSED' };
  // DocumentBuilder always writes a contact; an empty one says nothing.
  if (!Object.keys(document.info.contact ?? {}).length) delete document.info.contact;
  withoutOperationsRoutes(document);
  withRequestContent(document);
  withValidatedBodies(document, bodyClasses(app));
  Object.assign((document.components ??= {}).schemas ??= {}, CHAT_SCHEMAS);
  withAlwaysPossibleProblems(document);
  return document;
}

/** Health and metrics are for the platform that runs the gateway, not part of the public API. */
function withoutOperationsRoutes(document: OpenAPIObject): void {
  for (const route of OBSERVABILITY_ROUTES) {
    const path = `/${route.path}`;
    const item = document.paths[path] as Record<string, unknown> | undefined;
    if (!item) continue;
    delete item[RequestMethod[route.method].toLowerCase()];
    if (!Object.keys(item).some((k) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(k))) delete document.paths[path];
  }
}

/** Puts each @ApiRequestContent in its operation's request body. */
function withRequestContent(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as Record<string, any>[]) {
      const spec = op?.[REQUEST_CONTENT_EXTENSION];
      if (!spec) continue;
      delete op[REQUEST_CONTENT_EXTENSION];
      op.requestBody = { required: true, ...(spec.description ? { description: spec.description } : {}), content: spec.content };
    }
  }
}

function withAlwaysPossibleProblems(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as { responses?: Record<string, unknown> }[]) {
      if (!op?.responses) continue;
      for (const status of ALWAYS_POSSIBLE) op.responses[status] ??= problemResponse(status);
    }
  }
}

/**
 * Request classes shared with the services (the contracts) carry class-validator rules but no @ApiProperty, so
 * swagger alone documents them as empty objects. Their schemas are filled from the same rules the validation
 * pipe enforces, so the document says what the gateway actually accepts.
 */
function withValidatedBodies(document: OpenAPIObject, bodies: Map<string, string>): OpenAPIObject {
  const REF = '#/components/schemas/';
  const generated = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: REF,
    additionalConverters: { isRfc3339: { type: 'string', format: 'date-time' } },
  }) as Record<string, Record<string, unknown>>;
  const schemas = (document.components ??= {}).schemas ??= {};
  const add = (name: string) => {
    const existing = schemas[name] as { properties?: object } | undefined;
    if (!generated[name] || (existing && Object.keys(existing.properties ?? {}).length > 0)) return;
    schemas[name] = { ...generated[name], additionalProperties: false } as never;
    for (const ref of JSON.stringify(generated[name]).match(/#\/components\/schemas\/[A-Za-z0-9_]+/g) ?? []) add(ref.slice(REF.length));
  };
  for (const name of Object.keys(schemas)) add(name);
  // A route documented with a description only (@ApiBody({ description })) gets its @Body() class's schema.
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item) as [string, any][]) {
      const content = op?.requestBody?.content?.['application/json'];
      const name = bodies.get(`${method.toUpperCase()} ${path}`);
      if (!content || content.schema?.$ref || !name || !generated[name]) continue;
      add(name);
      content.schema = { $ref: `${REF}${name}` };
    }
  }
  return document;
}

/** `POST /v1/findings` → the class of its @Body() parameter, for every controller route that has one. */
function bodyClasses(app: NestFastifyApplication): Map<string, string> {
  const out = new Map<string, string>();
  const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!controller?.prototype) continue;
      const base: string | string[] = Reflect.getMetadata(PATH_METADATA, controller) ?? '';
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[method];
        if (method === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const args: Record<string, { index: number }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {};
        const body = Object.entries(args).find(([k]) => k.split(':')[0] === String(RouteParamtypes.BODY));
        const type = body && (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? [])[body[1].index];
        if (!type?.name || type === Object) continue;
        const verb = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const own: string | string[] = Reflect.getMetadata(PATH_METADATA, handler);
        for (const b of [base].flat()) for (const p of [own].flat()) out.set(`${verb} ${join(b, p)}`, type.name);
      }
    }
  }
  return out;
}
