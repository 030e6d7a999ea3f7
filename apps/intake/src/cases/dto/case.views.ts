// The clearinghouse's answers as the gateway documents them: mirrors of SubmittedFinding, CaseView and VendorView in
// libs/contracts (views-mirror-contracts.spec.ts holds them to it).
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CASE_STATES, CaseView, EXAMPLE_IDS, SeverityView, SubmittedFinding, VENDOR_STATUSES, VendorView } from '@vantage/contracts';
import { members } from '../../http/contract-mirror';

type FindingSeverity = SubmittedFinding['severity'];
type CaseFinding = CaseView['findings'][number];
type CaseVendor = CaseView['vendors'][number];
type CaseHistoryEntry = CaseView['history'][number];

const CVSS_VERSIONS = members<SeverityView['version']>()({ '3.1': true, '4.0': true });
const SEVERITIES = ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const ids = EXAMPLE_IDS;

@ApiSchema({ name: 'FindingSeverity' })
export class FindingSeverityDoc implements FindingSeverity {
  @ApiProperty({ enum: CVSS_VERSIONS, description: 'The CVSS version of the vector' }) version: string;
  @ApiProperty({ minimum: 0, maximum: 10, example: 9.3 }) baseScore: number;
  @ApiProperty({ enum: SEVERITIES }) baseSeverity: string;
}

@ApiSchema({ name: 'SubmittedFinding' })
export class SubmittedFindingDoc implements SubmittedFinding {
  @ApiProperty({ format: 'uuid' }) findingId: string;
  @ApiProperty({ format: 'uuid', description: 'The case it opened, or the open case it joined' }) caseId: string;
  @ApiProperty({ description: 'Whether it joined an open case of the same vulnerability' }) duplicate: boolean;
  @ApiProperty({ type: FindingSeverityDoc }) severity: FindingSeverityDoc;
}

@ApiSchema({ name: 'Severity' })
export class SeverityDoc implements SeverityView {
  @ApiProperty({ enum: CVSS_VERSIONS }) version: SeverityView['version'];
  @ApiProperty({ description: 'The vector, written canonically', example: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }) vector: string;
  @ApiProperty({ minimum: 0, maximum: 10 }) baseScore: number;
  @ApiProperty({ enum: SEVERITIES }) baseSeverity: string;
  @ApiPropertyOptional({ description: 'CVSS 4.0 only: which metric groups the score took in (CVSS-B, CVSS-BT, CVSS-BE, CVSS-BTE)', example: 'CVSS-B' })
  nomenclature?: string;
}

@ApiSchema({ name: 'CaseFinding' })
export class CaseFindingDoc implements CaseFinding {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) reporterOrgId: string;
  @ApiProperty({ format: 'date-time' }) reportedAt: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'What the finder said it found it with (model, submissionId, tool)' })
  discoveredWith?: Record<string, string>;
}

@ApiSchema({ name: 'CaseVendor' })
export class CaseVendorDoc implements CaseVendor {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: VENDOR_STATUSES }) status: string;
}

@ApiSchema({ name: 'CaseHistoryEntry' })
export class CaseHistoryEntryDoc implements CaseHistoryEntry {
  @ApiProperty({ type: String, nullable: true, example: 'triaged', description: 'The state before the move (a case state); null for the report that opened the case' }) from: string | null;
  @ApiProperty({ enum: CASE_STATES }) to: string;
  @ApiProperty({ format: 'uuid', description: 'The organisation that made the move' }) by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() note: string;
}

@ApiSchema({ name: 'CaseView' })
export class CaseViewDoc implements CaseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: CASE_STATES }) state: CaseView['state'];
  @ApiProperty({ type: SeverityDoc, description: "The first finding's score" }) severity: SeverityDoc;
  @ApiPropertyOptional({ example: 'CWE-122' }) cwe?: string;
  @ApiProperty() exploitedInWild: boolean;
  @ApiProperty({ format: 'date-time' }) reportedAt: string;
  @ApiProperty({ format: 'date-time', description: 'The embargo: disclosure no later than this' }) deadlineAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) disclosedAt?: string;
  @ApiProperty({ type: [CaseFindingDoc], description: 'First finder first' }) findings: CaseFindingDoc[];
  @ApiProperty({ type: [CaseVendorDoc] }) vendors: CaseVendorDoc[];
  @ApiProperty({ type: [String], description: 'Cases split from or related to this one' }) relatedCaseIds: string[];
  @ApiProperty({ type: [CaseHistoryEntryDoc], description: 'Every move, oldest first' }) history: CaseHistoryEntryDoc[];
}

@ApiSchema({ name: 'CasePage' })
export class CasePageDoc {
  @ApiProperty({ type: [CaseViewDoc] }) items: CaseViewDoc[];
}

@ApiSchema({ name: 'VendorView' })
export class VendorViewDoc implements VendorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String], description: 'Normalised purl prefixes' }) purlPrefixes: string[];
  @ApiProperty() contactUrl: string;
  @ApiPropertyOptional({ format: 'uuid', description: "The vendor's own organisation, which may then read and update its cases" }) orgId?: string;
}

export const FINDING_EXAMPLE = {
  title: 'Heap overflow in libfoo parse_header',
  description: 'A header longer than 4096 bytes overflows the fixed buffer in parse_header; remote code execution in any server that parses untrusted headers.',
  affected: [{ purl: 'pkg:npm/libfoo', versions: { introduced: '1.2.0', fixed: '1.4.1' } }],
  cwe: 'CWE-122',
  cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  location: { file: 'src/parse.c', function: 'parse_header', line: 212 },
  proofOfConcept: 'curl -H "X-Long: $(head -c 5000 /dev/zero | tr \\\\0 A)" http://target/',
  discoveredWith: { model: 'acme-frontier-2026-12', submissionId: ids.submission, tool: 'agency fuzzing harness' },
  exploitedInWild: false,
};

export const SUBMITTED_FINDING_EXAMPLE: SubmittedFinding = {
  findingId: ids.finding,
  caseId: ids.case,
  duplicate: false,
  severity: { version: '4.0', baseScore: 9.3, baseSeverity: 'CRITICAL' },
};

export const CASE_EXAMPLE: CaseView = {
  id: ids.case,
  title: 'Heap overflow in libfoo parse_header',
  state: 'vendor-notified',
  severity: { version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', baseScore: 9.3, baseSeverity: 'CRITICAL', nomenclature: 'CVSS-B' },
  cwe: 'CWE-122',
  exploitedInWild: false,
  reportedAt: '2026-11-30T10:15:00.000Z',
  deadlineAt: '2027-02-28T10:15:00.000Z',
  findings: [
    { id: ids.finding, reporterOrgId: ids.agency, reportedAt: '2026-11-30T10:15:00.000Z', discoveredWith: { model: 'acme-frontier-2026-12', submissionId: ids.submission } },
    { id: ids.duplicateFinding, reporterOrgId: ids.lab, reportedAt: '2026-12-01T08:00:00.000Z' },
  ],
  vendors: [{ id: ids.vendor, name: 'Libfoo Project', status: 'affected' }],
  relatedCaseIds: [],
  history: [
    { from: null, to: 'new', by: ids.agency, at: '2026-11-30T10:15:00.000Z', note: 'reported' },
    { from: 'new', to: 'triaged', by: ids.clearinghouse, at: '2026-11-30T15:00:00.000Z', note: 'Reproduced on 1.3.2.' },
    { from: 'triaged', to: 'vendor-notified', by: ids.clearinghouse, at: '2026-12-01T09:00:00.000Z', note: 'Sent to the libfoo maintainers.' },
  ],
};

export const VENDOR_EXAMPLE: VendorView = {
  id: ids.vendor,
  name: 'Libfoo Project',
  purlPrefixes: ['pkg:npm/libfoo'],
  contactUrl: 'mailto:security@libfoo.example',
  orgId: ids.vendorOrg,
};

export const OSV_ADVISORY_EXAMPLE = {
  schema_version: '1.7.0',
  id: `x_VANTAGE-${ids.case}`,
  modified: '2027-01-15T12:00:00Z',
  published: '2027-01-15T12:00:00Z',
  summary: 'Heap overflow in libfoo parse_header',
  details: 'A header longer than 4096 bytes overflows the fixed buffer in parse_header; remote code execution in any server that parses untrusted headers.',
  severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }],
  affected: [{ package: { ecosystem: 'npm', name: 'libfoo', purl: 'pkg:npm/libfoo' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.2.0' }, { fixed: '1.4.1' }] }] }],
  credits: [{ name: 'Agency A', type: 'FINDER' }, { name: 'Vantage AI Cybersecurity Clearinghouse', type: 'COORDINATOR' }],
  database_specific: { case_id: ids.case, cwe_ids: ['CWE-122'], exploited_in_wild: false, ai_provenance: { model: 'acme-frontier-2026-12', tool: 'agency fuzzing harness' } },
};
