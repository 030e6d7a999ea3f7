// Events the window scheduler publishes: access windows and the per-agency grants inside them.
import { IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { defineEvent } from '../event-definition';
import { IsRfc3339 } from '../validation';

export const CLOSED_REASONS = ['scheduled-end', 'released', 'withdrawn'] as const;
export type ClosedReason = (typeof CLOSED_REASONS)[number];

export class WindowTimesV1 {
  @IsUUID()
  submissionId: string;

  @IsString() @Length(1, 64)
  labId: string;

  @IsRfc3339()
  opensAt: string;

  @IsRfc3339()
  closesAt: string;
}

export class WindowScheduledV1 extends WindowTimesV1 {
  /** The agencies that will get a grant when it opens; absent: every agency in the programme at that time. */
  @IsOptional() @IsArray() @IsString({ each: true })
  agencies?: string[];
}

export const WindowScheduled = defineEvent({
  domain: 'window', entity: 'window', event: 'scheduled', version: 1, payload: WindowScheduledV1,
  description: 'An access window was computed for a submission (opensAt, closesAt under the programme rules).',
});

export class WindowRescheduledV1 extends WindowTimesV1 {
  @IsRfc3339()
  previousClosesAt: string;
}

export const WindowRescheduled = defineEvent({
  domain: 'window', entity: 'window', event: 'rescheduled', version: 1, payload: WindowRescheduledV1,
  description: "The lab moved its release; the window's times were recomputed within the same rules.",
});

export const WindowOpened = defineEvent({
  domain: 'window', entity: 'window', event: 'opened', version: 1, payload: WindowTimesV1,
  description: 'The window opened: granted agencies may use brokered access until it closes.',
});

export const WindowClosingSoon = defineEvent({
  domain: 'window', entity: 'window', event: 'closing-soon', version: 1, payload: WindowTimesV1,
  description: 'The window closes soon (by default 24 hours ahead).',
});

export class WindowClosedV1 extends WindowTimesV1 {
  @IsRfc3339()
  closedAt: string;

  @IsIn(CLOSED_REASONS as unknown as string[])
  closedReason: ClosedReason;
}

export const WindowClosed = defineEvent({
  domain: 'window', entity: 'window', event: 'closed', version: 1, payload: WindowClosedV1,
  description: 'The window closed (scheduled end, release or withdrawal); every grant is revoked with it.',
});

export class WindowCancelledV1 extends WindowTimesV1 {
  @IsRfc3339()
  cancelledAt: string;

  @IsIn(['released', 'withdrawn'])
  reason: 'released' | 'withdrawn';
}

export const WindowCancelled = defineEvent({
  domain: 'window', entity: 'window', event: 'cancelled', version: 1, payload: WindowCancelledV1,
  description: 'The window was cancelled before it opened (the lab withdrew or released).',
});

export class GrantV1 {
  @IsUUID()
  grantId: string;

  @IsUUID()
  submissionId: string;

  @IsString() @Length(1, 64)
  agencyId: string;

  @IsString() @Length(1, 64)
  labId: string;
}

export class GrantIssuedV1 extends GrantV1 {
  @IsRfc3339()
  issuedAt: string;

  @IsRfc3339()
  expiresAt: string;
}

export const GrantIssued = defineEvent({
  domain: 'window', entity: 'grant', event: 'issued', version: 1, payload: GrantIssuedV1,
  description: "An agency may use the model through the gateway's brokered access while the window is open.",
});

export class GrantRevokedV1 extends GrantV1 {
  @IsRfc3339()
  revokedAt: string;

  @IsIn(CLOSED_REASONS as unknown as string[])
  reason: ClosedReason;
}

export const GrantRevoked = defineEvent({
  domain: 'window', entity: 'grant', event: 'revoked', version: 1, payload: GrantRevokedV1,
  description: "The agency's access ended with the window.",
});
