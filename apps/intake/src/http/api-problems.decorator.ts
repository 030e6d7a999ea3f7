// Documents a route's error answers (problem+json) in the OpenAPI document.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

class FieldProblemView {
  @ApiProperty({ example: 'plannedReleaseAt' }) field: string;
  @ApiProperty({ example: 'must be in the future' }) message: string;
}

export class ProblemView {
  @ApiProperty({ example: 'https://vantage.gov.example/problems/validation_failed' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty() detail: string;
  @ApiProperty({ example: 'validation_failed' }) code: string;
  @ApiPropertyOptional({ type: [FieldProblemView] }) errors?: FieldProblemView[];
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
  502: "The lab's model failed the call; `code` names the cause",
  503: 'The service behind the gateway is not answering',
  504: 'The service behind the gateway did not answer in time',
};

export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ProblemView, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemView' } } } as any }),
    ),
  );
}
