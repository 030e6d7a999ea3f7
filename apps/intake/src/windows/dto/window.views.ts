// The window scheduler's answers as the gateway documents them: mirrors of WindowView and GrantView in
// libs/contracts (views-mirror-contracts.spec.ts holds them to it).
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CLOSED_REASONS, EXAMPLE_IDS, GrantView, WindowView } from '@vantage/contracts';
import { members } from '../../http/contract-mirror';

export const WINDOW_STATES = members<WindowView['state']>()({ scheduled: true, open: true, closed: true, cancelled: true });
const GRANT_STATES = members<GrantView['state']>()({ active: true, revoked: true });

@ApiSchema({ name: 'GrantView' })
export class GrantViewDoc implements GrantView {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty({ enum: GRANT_STATES }) state: GrantView['state'];
}

@ApiSchema({ name: 'WindowView' })
export class WindowViewDoc implements WindowView {
  @ApiProperty({ format: 'uuid' }) submissionId: string;
  @ApiProperty({ enum: WINDOW_STATES }) state: WindowView['state'];
  @ApiProperty({ format: 'date-time', description: 'max(now, earliestAccessAt, plannedReleaseAt − 30 days)' }) opensAt: string;
  @ApiProperty({ format: 'date-time', description: 'min(plannedReleaseAt, opensAt + 30 days)' }) closesAt: string;
  @ApiPropertyOptional({ enum: CLOSED_REASONS, description: 'Once closed or cancelled' }) closedReason?: WindowView['closedReason'];
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiProperty({ type: [GrantViewDoc], description: 'An agency sees only its own grant' }) grants: GrantViewDoc[];
}

@ApiSchema({ name: 'WindowPage' })
export class WindowPageDoc {
  @ApiProperty({ type: [WindowViewDoc] }) items: WindowViewDoc[];
}

export const WINDOW_EXAMPLE: WindowView = {
  submissionId: EXAMPLE_IDS.submission,
  state: 'open',
  opensAt: '2026-11-28T00:00:00.000Z',
  closesAt: '2026-12-20T00:00:00.000Z',
  grants: [{ agencyId: EXAMPLE_IDS.agency, state: 'active' }],
};
