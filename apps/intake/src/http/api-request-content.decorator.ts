// A request body that comes in more than one media type, each with its own schema (a suite as JSON or as JSON Lines):
// @ApiBody wraps one schema in every media type, so the content is carried on an extension and put in place by
// openapi.ts.
import { applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { MediaTypeObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const REQUEST_CONTENT_EXTENSION = 'x-vantage-request-content';

export function ApiRequestContent(content: Record<string, MediaTypeObject>, description?: string) {
  return applyDecorators(ApiExtension(REQUEST_CONTENT_EXTENSION, { content, ...(description ? { description } : {}) }));
}
