// The gateway's answer headers, set in one place for every route (errors, streams and 404s included):
// `X-Content-Type-Options: nosniff`, so that no browser reads an answer as another type than it says, and
// `Cache-Control: no-store`: the API's answers are per caller and some carry a secret (an API key at issuance, a
// webhook secret at subscription or rotation), so no shared or browser cache may keep one. Every path gets it rather
// than those under /v1 only: a path spelt otherwise (percent-encoded, say) that still reaches a /v1 route is covered
// too, and the few public paths (health, metrics, the OpenAPI document) lose nothing by not being cached.
// Requests that never reach a route (malformed HTTP, unroutable paths) get nosniff where they are answered
// (answerClientError, answerFrameworkError in @vantage/runtime).
import { NestFastifyApplication } from '@nestjs/platform-fastify';

export function installSecurityHeaders(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'no-store');
      done();
    });
}
