// The lab's audit of brokered access to its model (GET /v1/submissions/{id}/access-log).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXAMPLE_IDS } from '@vantage/contracts';

export class AccessLogEntry {
  @ApiProperty({ format: 'uuid', description: 'The agency that called' }) agencyId: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: "The answer's status: the model's, 502/504 for its failures, 409 when access ended mid-stream, 499 when the agency hung up", example: 200 })
  status: number;
  @ApiProperty({ description: 'Until the answer ended (a stream: its last event)' }) latencyMs: number;
  @ApiProperty({ description: 'Whether the answer was streamed' }) stream: boolean;
  @ApiPropertyOptional({ description: "As the model reported them (absent when it did not)" }) promptTokens?: number;
  @ApiPropertyOptional() completionTokens?: number;
}

export class AccessLogPage {
  @ApiProperty({ type: [AccessLogEntry], description: 'Newest first' }) items: AccessLogEntry[];
}

export const ACCESS_LOG_EXAMPLE: AccessLogPage = {
  items: [
    { agencyId: EXAMPLE_IDS.agency, at: '2026-11-29T14:03:12.512Z', status: 200, latencyMs: 2140, stream: true, promptTokens: 31, completionTokens: 42 },
    { agencyId: EXAMPLE_IDS.agency, at: '2026-11-29T14:01:55.020Z', status: 429, latencyMs: 88, stream: false },
  ],
};
