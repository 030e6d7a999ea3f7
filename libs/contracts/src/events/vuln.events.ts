// Events of the clearinghouse: cases, their workflow, vendors and embargo deadlines.
import { IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { defineEvent } from '../event-definition';
import { IsRfc3339 } from '../validation';

export const CASE_STATES = ['new', 'triaged', 'vendor-notified', 'fix-available', 'disclosed', 'rejected', 'duplicate'] as const;
export type CaseState = (typeof CASE_STATES)[number];

export class CaseRefV1 {
  @IsUUID()
  caseId: string;

  @IsString() @Length(1, 300)
  title: string;

  @IsIn(CASE_STATES as unknown as string[])
  state: CaseState;
}

export class CaseOpenedV1 extends CaseRefV1 {
  @IsUUID()
  findingId: string;

  @IsOptional() @IsIn(['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])
  baseSeverity?: string;

  @IsRfc3339()
  deadlineAt: string;

  @IsArray() @IsUUID('all', { each: true })
  relatedCaseIds: string[];
}

export const CaseOpened = defineEvent({
  domain: 'vuln', entity: 'case', event: 'opened', version: 1, payload: CaseOpenedV1,
  description: 'A finding opened a new case. Never carries the proof of concept.',
});

export class CaseDuplicateFoundV1 extends CaseRefV1 {
  @IsUUID()
  findingId: string;

  @IsString() @Length(1, 64)
  reporterOrgId: string;
}

export const CaseDuplicateFound = defineEvent({
  domain: 'vuln', entity: 'case', event: 'duplicate-found', version: 1, payload: CaseDuplicateFoundV1,
  description: 'Another finding of the same vulnerability joined an open case.',
});

export class CaseStateChangedV1 extends CaseRefV1 {
  @IsIn(CASE_STATES as unknown as string[])
  from: CaseState;

  @IsString() @Length(0, 2000)
  note: string;

  @IsRfc3339()
  changedAt: string;
}

export const CaseStateChanged = defineEvent({
  domain: 'vuln', entity: 'case', event: 'state-changed', version: 1, payload: CaseStateChangedV1,
  description: 'An analyst moved the case in its workflow.',
});

export class CaseDisclosedV1 extends CaseRefV1 {
  @IsRfc3339()
  disclosedAt: string;
}

export const CaseDisclosed = defineEvent({
  domain: 'vuln', entity: 'case', event: 'disclosed', version: 1, payload: CaseDisclosedV1,
  description: 'The case is public; its advisory may be read by everyone.',
});

export class CaseVendorNotifiedV1 extends CaseRefV1 {
  @IsUUID()
  vendorId: string;

  @IsString() @Length(1, 200)
  vendorName: string;

  @IsRfc3339()
  deadlineAt: string;
}

export const CaseVendorNotified = defineEvent({
  domain: 'vuln', entity: 'case', event: 'vendor-notified', version: 1, payload: CaseVendorNotifiedV1,
  description: 'A vendor whose products a case affects was told of it, under embargo until the deadline.',
});

export class CaseDeadlineV1 extends CaseRefV1 {
  @IsRfc3339()
  deadlineAt: string;

  @IsOptional() @IsString()
  remaining?: string;

  @IsBoolean()
  reached: boolean;
}

export const CaseDeadlineApproaching = defineEvent({
  domain: 'vuln', entity: 'case', event: 'deadline-approaching', version: 1, payload: CaseDeadlineV1,
  description: 'The disclosure deadline is 7 days or 1 day away.',
});

export const CaseDeadlineReached = defineEvent({
  domain: 'vuln', entity: 'case', event: 'deadline-reached', version: 1, payload: CaseDeadlineV1,
  description: 'The disclosure deadline has come.',
});

export class CaseMergedV1 extends CaseRefV1 {
  @IsUUID()
  absorbedCaseId: string;

  @IsArray() @IsUUID('all', { each: true })
  movedFindingIds: string[];

  @IsString() @Length(0, 2000)
  note: string;

  @IsRfc3339()
  mergedAt: string;
}

export const CaseMerged = defineEvent({
  domain: 'vuln', entity: 'case', event: 'merged', version: 1, payload: CaseMergedV1,
  description: 'An analyst merged another case into this one; the other case is now a duplicate of it.',
});

export class CaseSplitV1 extends CaseRefV1 {
  @IsUUID()
  newCaseId: string;

  @IsArray() @IsUUID('all', { each: true })
  movedFindingIds: string[];

  @IsString() @Length(0, 2000)
  note: string;

  @IsRfc3339()
  splitAt: string;
}

export const CaseSplit = defineEvent({
  domain: 'vuln', entity: 'case', event: 'split', version: 1, payload: CaseSplitV1,
  description: 'An analyst moved some findings of this case into a new, related case.',
});

export class CaseVendorStatusChangedV1 extends CaseRefV1 {
  @IsUUID()
  vendorId: string;

  @IsString() @Length(1, 200)
  vendorName: string;

  @IsIn(['affected', 'not-affected', 'fixed', 'unknown'])
  from: string;

  @IsIn(['affected', 'not-affected', 'fixed', 'unknown'])
  status: string;

  @IsRfc3339()
  changedAt: string;
}

export const CaseVendorStatusChanged = defineEvent({
  domain: 'vuln', entity: 'case', event: 'vendor-status-changed', version: 1, payload: CaseVendorStatusChangedV1,
  description: "A vendor's status on the case changed (affected, not-affected, fixed, unknown).",
});
