// Every HTTP error as application/problem+json (RFC 9457): {type, title, status, detail, code, errors?}.
// Domain errors are mapped here, once. Unexpected errors are logged and answered without their text.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldProblem, PayloadInvalidError, RateLimitedError } from '@vantage/contracts';
import { isDatabaseUnavailable } from '@vantage/persistence';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldProblem[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  414: 'URI Too Long', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

const CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  409: 'conflict', 413: 'body_too_large', 415: 'unsupported_media_type', 422: 'rule_violated', 429: 'rate_limited',
  500: 'internal', 502: 'bad_gateway', 503: 'service_unavailable', 504: 'service_timeout',
};

export class ValidationFailedException extends HttpException {
  constructor(readonly problems: FieldProblem[]) {
    super({ message: `request is invalid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}` }, 400);
  }
}

export function toProblem(error: unknown): ProblemDetails {
  if (error instanceof DomainError) return problem(error.status, error.code, error.message, error.errors);
  if (error instanceof PayloadInvalidError) return problem(400, 'validation_failed', error.message, error.problems);
  if (error instanceof ValidationFailedException) return problem(400, 'validation_failed', messageOf(error), error.problems);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return problem(status, CODES[status] ?? `http_${status}`, messageOf(error));
  }
  // Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode.
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    const detail = fastify.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(fastify.message ?? '')
      ? 'the body is not valid JSON'
      : (fastify.message ?? TITLES[status]);
    return problem(status, fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body_too_large' : (CODES[status] ?? `http_${status}`), detail);
  }
  // Postgres down or restarting (or another connection refused or lost) is an outage, not a bug: the same request
  // will work shortly, and a careful client retries a 503 (with its Idempotency-Key) where it gives up on a 500.
  if (isDatabaseUnavailable(error)) return problem(503, 'service_unavailable', 'the service cannot reach a server it depends on right now; try again shortly');
  return problem(500, 'internal', 'the service failed to answer; the error is logged');
}

function problem(status: number, code: string, detail: string, errors?: FieldProblem[]): ProblemDetails {
  return {
    type: `https://vantage.gov.example/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
  };
}

function messageOf(e: HttpException): string {
  const body = e.getResponse() as string | { message?: string | string[] };
  if (typeof body === 'string') return body;
  const m = body?.message;
  return Array.isArray(m) ? m.join('; ') : (m ?? e.message);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly log = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse();
    const p = toProblem(error);
    if (p.status === HttpStatus.SERVICE_UNAVAILABLE && !(error instanceof DomainError)) this.log.warn(`unavailable: ${(error as Error)?.message ?? error}`);
    else if (p.status >= 500 && !(error instanceof DomainError)) this.log.error(`unhandled error: ${(error as Error)?.stack ?? error}`);
    if (error instanceof RateLimitedError && error.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    if ((p.status === HttpStatus.TOO_MANY_REQUESTS || p.status === HttpStatus.SERVICE_UNAVAILABLE) && !reply.getHeader?.('retry-after')) reply.header('retry-after', '1');
    reply.status(p.status).header('content-type', 'application/problem+json').send(p);
  }
}

/**
 * Requests Node's HTTP parser refuses before any route sees them (headers or URL too large, malformed request
 * line, a client too slow to send its headers): answered as problems too, then the connection is closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: { destroyed: boolean; writable: boolean; write(s: string): unknown; destroy(e?: Error): void }): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail]: [number, string] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'the request line and headers are larger than the server accepts']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'the request did not arrive in time']
        : [400, 'the request is not well-formed HTTP'];
  const code = status === 431 ? 'headers_too_large' : status === 408 ? 'request_timeout' : 'bad_request';
  const body = JSON.stringify(problem(status, code, detail));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${TITLES[status]}\r\nContent-Type: application/problem+json\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * Fastify's refusals before any route runs (a path with a malformed percent-encoding: 400; a path segment
 * longer than the router reads: 414), as problems like every other error.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const [status, code, detail]: [number, string, string] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? [414, 'uri_too_long', 'a path segment is longer than any id of this API']
      : error.code === 'FST_ERR_BAD_URL' ? [400, 'bad_url', 'the path is not a valid URL (a malformed percent-encoding)']
        : [400, 'bad_request', 'the request could not be routed'];
  reply.code(status).header('content-type', 'application/problem+json').header('x-content-type-options', 'nosniff').send(JSON.stringify(problem(status, code, detail)));
}
