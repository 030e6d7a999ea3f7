// Documents a route's error answers in the OpenAPI document: application/problem+json (RFC 9457), as the
// ProblemDetailsFilter sends them, never application/json.
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

class FieldProblemView {
  @ApiProperty({ example: 'plannedReleaseAt', description: 'The field, header or line that failed (`endpoint.baseUrl`, `affected[0].purl`, `line 12`)' })
  field: string;

  @ApiProperty({ example: 'must be in the future' })
  message: string;
}

export class ProblemView {
  @ApiProperty({ example: 'https://vantage.gov.example/problems/validation_failed', description: 'A URI naming the kind of problem: `…/problems/<code>`' })
  type: string;

  @ApiProperty({ example: 'Bad Request', description: "The status code's reason phrase" })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'request is invalid: plannedReleaseAt must be in the future', description: 'What went wrong, for a person' })
  detail: string;

  @ApiProperty({ example: 'validation_failed', pattern: '^[a-z0-9_]+$', description: 'A stable code for programs to branch on' })
  code: string;

  @ApiPropertyOptional({ type: [FieldProblemView], description: 'Each field that failed (validation problems)' })
  errors?: FieldProblemView[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request; `errors` names the fields',
  401: 'Missing or unknown API key',
  403: 'Your organisation kind may not call this route',
  404: 'No such resource, or not one you may see',
  409: 'Conflicts with the current state (or an Idempotency-Key reused with another body)',
  413: 'Body too large',
  422: 'Well-formed but breaks a rule; `errors` names the fields',
  429: 'Rate limit for your key; see Retry-After',
  500: 'The service failed unexpectedly; the error is logged',
  502: "The lab's model failed the call; `code` names the cause",
  503: 'A service or database behind the gateway is not answering right now; retry later (with the same Idempotency-Key)',
  504: 'The service behind the gateway did not answer in time',
};

/** The problem+json content of an error answer; `extra` adds other media types the same answer may come as. */
export function problemContent(extra: Record<string, object> = {}): Record<string, object> {
  return { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemView) } }, ...extra };
}

export function problemResponse(status: number, description = DESCRIPTIONS[status] ?? 'Error') {
  return { description, content: problemContent() };
}

export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemView),
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
}

/**
 * The Idempotency-Key header of a creating POST. Named in lower case as the route reads it (`@Headers('idempotency-key')`),
 * so that the documented header and the one Nest derives from the parameter are one optional parameter, not two.
 */
export function ApiIdempotencyKey(description = 'Same key and body: the first answer again. Same key, other body: 409.') {
  return ApiHeader({ name: 'idempotency-key', required: false, description: `Idempotency-Key (1–255 visible ASCII characters). ${description}` });
}
