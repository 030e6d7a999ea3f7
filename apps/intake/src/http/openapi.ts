// The live OpenAPI document (/openapi.json) and a browsable page (/docs), generated from the code.
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export function installOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Vantage public API')
    .setDescription(
      'Voluntary pre-release access to frontier AI models, and the AI cybersecurity clearinghouse. ' +
        'Nothing in this API approves, delays or blocks a release. Errors are application/problem+json (RFC 9457).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An organisation API key (vnt_…)' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
}
