// Request-reply subjects the clearinghouse answers; the gateway validates the same classes at the door.
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min,
  ValidateNested,
} from 'class-validator';
import { defineRpc } from '../rpc-definition';
import { CASE_STATES, CaseState } from '../events/vuln.events';
import { IsRfc3339 } from '../validation';

export class AffectedVersionsDto {
  @IsOptional() @IsString() @Length(1, 100) introduced?: string;
  @IsOptional() @IsString() @Length(1, 100) fixed?: string;
  @IsOptional() @IsString() @Length(1, 100) lastAffected?: string;
}

export class AffectedProductDto {
  @IsOptional() @IsString() @Length(1, 500) purl?: string;
  @IsOptional() @IsString() @Length(1, 500) cpe?: string;
  @IsOptional() @IsString() @Length(1, 200) vendor?: string;
  @IsOptional() @IsString() @Length(1, 200) product?: string;
  @IsOptional() @ValidateNested() @Type(() => AffectedVersionsDto) versions?: AffectedVersionsDto;
}

export class LocationDto {
  @IsOptional() @IsString() @Length(1, 500) file?: string;
  @IsOptional() @IsString() @Length(1, 300) function?: string;
  @IsOptional() @IsInt() @Min(1) @Max(10_000_000) line?: number;
}

export class DiscoveredWithDto {
  @IsOptional() @IsString() @Length(1, 200) model?: string;
  @IsOptional() @IsUUID() submissionId?: string;
  @IsOptional() @IsString() @Length(1, 200) tool?: string;
}

/** The largest proof of concept accepted (it is sealed at rest and never returned in events). */
export const MAX_PROOF_OF_CONCEPT = 256 * 1024;

export class SubmitFindingRequest {
  @IsString() @Length(1, 300) title: string;
  @IsString() @Length(1, 20_000) description: string;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => AffectedProductDto)
  affected: AffectedProductDto[];

  @IsOptional() @IsString() @Length(1, 20) cwe?: string;
  @IsString() @Length(1, 200) cvssVector: string;
  @IsOptional() @ValidateNested() @Type(() => LocationDto) location?: LocationDto;
  @IsOptional() @IsString() @MaxLength(MAX_PROOF_OF_CONCEPT) proofOfConcept?: string;
  @IsOptional() @ValidateNested() @Type(() => DiscoveredWithDto) discoveredWith?: DiscoveredWithDto;
  @IsOptional() @IsBoolean() exploitedInWild?: boolean;
}

export interface SeverityView {
  version: '3.1' | '4.0';
  vector: string;
  baseScore: number;
  baseSeverity: string;
  /** CVSS 4.0 only: the metric groups the score took in (`CVSS-B`, `CVSS-BT`, `CVSS-BE`, `CVSS-BTE`). */
  nomenclature?: string;
}

export interface SubmittedFinding {
  findingId: string;
  caseId: string;
  duplicate: boolean;
  severity: { version: string; baseScore: number; baseSeverity: string };
}

export const SubmitFinding = defineRpc<SubmitFindingRequest, SubmittedFinding>({
  domain: 'vuln', verb: 'submit-finding', request: SubmitFindingRequest,
  description: 'A vulnerability finding from an agency, a lab or the clearinghouse: scored, fingerprinted, joined to or opening a case.',
});

export class CaseIdRequest {
  @IsUUID() caseId: string;
}

export interface CaseView {
  id: string;
  title: string;
  state: CaseState;
  severity: SeverityView;
  cwe?: string;
  exploitedInWild: boolean;
  reportedAt: string;
  deadlineAt: string;
  disclosedAt?: string;
  findings: { id: string; reporterOrgId: string; reportedAt: string; discoveredWith?: Record<string, string> }[];
  vendors: { id: string; name: string; status: string }[];
  relatedCaseIds: string[];
  history: { from: string | null; to: string; by: string; at: string; note: string }[];
}

export const GetCase = defineRpc<CaseIdRequest, CaseView>({
  domain: 'vuln', verb: 'get-case', request: CaseIdRequest,
  description: 'A case, to those with need-to-know (reporters, the clearinghouse, matched vendors, added organisations); public once disclosed.',
});

export class ListCasesRequest {
  @IsOptional() @IsIn(CASE_STATES as unknown as string[]) state?: CaseState;
}

export const ListCases = defineRpc<ListCasesRequest, { items: CaseView[] }>({
  domain: 'vuln', verb: 'list-cases', request: ListCasesRequest,
  description: 'The cases the caller has need-to-know for, and disclosed ones.',
});

export class TransitionCaseRequest {
  @IsUUID() caseId: string;
  @IsIn(CASE_STATES as unknown as string[]) to: CaseState;
  @IsString() @Length(1, 2000) note: string;
}

export const TransitionCase = defineRpc<TransitionCaseRequest, CaseView>({
  domain: 'vuln', verb: 'transition-case', request: TransitionCaseRequest,
  description: 'An analyst moves a case; an illegal move is a conflict and changes nothing.',
});

export class ExtendEmbargoRequest {
  @IsUUID() caseId: string;
  @IsRfc3339() deadlineAt: string;
  @IsString() @Length(1, 2000) reason: string;
}

export const ExtendEmbargo = defineRpc<ExtendEmbargoRequest, CaseView>({
  domain: 'vuln', verb: 'extend-embargo', request: ExtendEmbargoRequest,
  description: 'An analyst moves the disclosure deadline later, with a reason.',
});

export class GrantCaseAccessRequest {
  @IsUUID() caseId: string;
  @IsUUID() orgId: string;
}

export const GrantCaseAccess = defineRpc<GrantCaseAccessRequest, CaseView>({
  domain: 'vuln', verb: 'grant-case-access', request: GrantCaseAccessRequest,
  description: 'An analyst adds an organisation to the need-to-know list of a case.',
});

export class CreateVendorRequest {
  @IsString() @Length(1, 200) name: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @Length(5, 300, { each: true }) purlPrefixes: string[];
  @Length(1, 500) @Matches(/^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/, { message: 'must be an http(s) URL or a mailto: address' })
  contactUrl: string;
  @IsOptional() @IsUUID() orgId?: string;
}

export interface VendorView {
  id: string;
  name: string;
  purlPrefixes: string[];
  contactUrl: string;
  orgId?: string;
}

export const CreateVendor = defineRpc<CreateVendorRequest, VendorView>({
  domain: 'vuln', verb: 'create-vendor', request: CreateVendorRequest,
  description: 'A vendor the clearinghouse coordinates with, matched to cases by purl prefix.',
});

export class GetAdvisoryRequest {
  @IsUUID() caseId: string;
  @IsIn(['osv', 'csaf', 'cve']) format: 'osv' | 'csaf' | 'cve';
}

export const GetAdvisory = defineRpc<GetAdvisoryRequest, Record<string, unknown>>({
  domain: 'vuln', verb: 'get-advisory', request: GetAdvisoryRequest,
  description: "A case's advisory in OSV, CSAF 2.0 or CVE JSON 5.",
});

export class MergeCasesRequest {
  /** The surviving case. */
  @IsUUID() caseId: string;
  /** The case absorbed into it (the HTTP body's `caseId`; errors about it name that field). */
  @IsUUID() absorbedCaseId: string;
  @IsString() @Length(1, 2000) note: string;
}

export const MergeCases = defineRpc<MergeCasesRequest, CaseView>({
  domain: 'vuln', verb: 'merge-cases', request: MergeCasesRequest,
  description: "An analyst merges another open case into this one: its findings, need-to-know and vendors move here, it becomes a duplicate.",
});

export class SplitCaseRequest {
  @IsUUID() caseId: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsUUID('all', { each: true }) findingIds: string[];
  @IsString() @Length(1, 2000) note: string;
}

export const SplitCase = defineRpc<SplitCaseRequest, CaseView>({
  domain: 'vuln', verb: 'split-case', request: SplitCaseRequest,
  description: 'An analyst moves some findings of a case into a new related case; the answer is the new case.',
});

export const VENDOR_STATUSES = ['affected', 'not-affected', 'fixed', 'unknown'] as const;
export type VendorStatus = (typeof VENDOR_STATUSES)[number];

export class SetVendorStatusRequest {
  @IsUUID() caseId: string;
  @IsUUID() vendorId: string;
  @IsIn(VENDOR_STATUSES as unknown as string[]) status: VendorStatus;
  @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

export const SetVendorStatus = defineRpc<SetVendorStatusRequest, CaseView>({
  domain: 'vuln', verb: 'set-vendor-status', request: SetVendorStatusRequest,
  description: "A vendor's status on a case (affected, not-affected, fixed, unknown), set by an analyst or by the vendor's own organisation.",
});
