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

export function installOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
}

/** The document, from the application's routes (a preview application, with nothing connected, will do). */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Vantage public API')
    .setDescription(
      'Voluntary pre-release access to frontier AI models, and the AI cybersecurity clearinghouse. ' +
        'Nothing in this API approves, delays or blocks a release. Errors are application/problem+json (RFC 9457).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An organisation API key (vnt_…)' })
    .build();
  return withValidatedBodies(SwaggerModule.createDocument(app, config), bodyClasses(app));
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
