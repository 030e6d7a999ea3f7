// The clearinghouse's routes at the gateway: shapes checked here with the contract classes; the clearinghouse
// decides need-to-know, workflow and everything else (forwarded with the caller's identity).
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Caller, Principal, Roles } from '@vantage/auth';
import {
  CASE_STATES, CaseState, CreateVendor, CreateVendorRequest, EXAMPLE_IDS, ExtendEmbargo, GetAdvisory, GetCase, GrantCaseAccess, IsRfc3339, ListCases,
  MergeCases, SetVendorStatus, SplitCase, SubmitFinding, SubmitFindingRequest, TransitionCase, VENDOR_STATUSES, VendorStatus,
} from '@vantage/contracts';
import { ApiIdempotencyKey, ApiProblems } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { Forwarder } from '../http/forwarder';
import { forwardedIdempotency } from '../http/idempotency';
import {
  CASE_EXAMPLE, CasePageDoc, CaseViewDoc, FINDING_EXAMPLE, OSV_ADVISORY_EXAMPLE, SUBMITTED_FINDING_EXAMPLE, SubmittedFindingDoc, VENDOR_EXAMPLE,
  VendorViewDoc,
} from './dto/case.views';

class ListCasesQuery {
  @ApiPropertyOptional({ enum: CASE_STATES })
  @IsOptional() @IsIn(CASE_STATES as unknown as string[])
  state?: CaseState;
}

class TransitionCaseBody {
  @IsIn(CASE_STATES as unknown as string[]) to: CaseState;
  @IsString() @Length(1, 2000) note: string;
}

class ExtendEmbargoBody {
  @IsRfc3339() deadlineAt: string;
  @IsString() @Length(1, 2000) reason: string;
}

class GrantCaseAccessBody {
  @IsUUID() orgId: string;
}

class MergeCasesBody {
  /** The case to absorb into the one in the path. */
  @IsUUID() caseId: string;
  @IsString() @Length(1, 2000) note: string;
}

class SplitCaseBody {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsUUID('all', { each: true }) findingIds: string[];
  @IsString() @Length(1, 2000) note: string;
}

class SetVendorStatusBody {
  @IsIn(VENDOR_STATUSES as unknown as string[]) status: VendorStatus;
  @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

class AdvisoryQuery {
  @ApiPropertyOptional({ enum: ['osv', 'csaf', 'cve'], default: 'osv' })
  @IsOptional() @IsIn(['osv', 'csaf', 'cve'])
  format?: 'osv' | 'csaf' | 'cve';
}

@ApiTags('vulnerabilities')
@ApiBearerAuth()
@Controller('v1')
export class CasesController {
  constructor(private readonly forwarder: Forwarder) {}

  @Post('findings')
  @HttpCode(201)
  @Roles('agency', 'lab', 'clearinghouse')
  @ApiOperation({ operationId: 'submitFinding', summary: 'Report a vulnerability finding: scored, deduplicated into a case. Roles: agency, lab, clearinghouse.' })
  @ApiBody({
    description:
      'affected[] takes `purl`, or `cpe`, or `vendor` + `product`, each with optional version bounds; cvssVector is CVSS 3.1 or 4.0. ' +
      'The proof of concept is sealed at rest and never appears in an answer, event or advisory.',
    examples: { finding: { summary: 'A heap overflow found with a frontier model', value: FINDING_EXAMPLE } },
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: SubmittedFindingDoc, description: 'Scored, and joined to a case', example: SUBMITTED_FINDING_EXAMPLE })
  @ApiProblems(400, 401, 403, 409, 413, 422, 429, 503, 504)
  submit(@Caller() caller: Principal, @Body() body: SubmitFindingRequest, @Headers('idempotency-key') key?: string) {
    // The clearinghouse keeps the answer under the key in the transaction that records the finding: a retry after
    // a 504 or a lost connection reports nothing twice.
    return this.forwarder.forward(SubmitFinding, body, caller, forwardedIdempotency(key, body));
  }

  @Get('cases')
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ operationId: 'listCases', summary: 'Cases you have need-to-know for, and disclosed ones. Roles: agency, lab, clearinghouse, operator.' })
  @ApiOkResponse({ type: CasePageDoc, description: 'The cases', example: { items: [CASE_EXAMPLE] } })
  @ApiProblems(400, 401, 429, 503, 504)
  list(@Caller() caller: Principal, @Query() query: ListCasesQuery) {
    return this.forwarder.forward(ListCases, query.state ? { state: query.state } : {}, caller);
  }

  @Get('cases/:id')
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ operationId: 'getCase', summary: 'A case with its findings, severity, state, embargo deadline, vendors and history: need-to-know, or anyone once disclosed. Roles: agency, lab, clearinghouse, operator.' })
  @ApiOkResponse({ type: CaseViewDoc, description: 'The case', example: CASE_EXAMPLE })
  @ApiProblems(401, 404, 429, 503, 504)
  get(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string) {
    return this.forwarder.forward(GetCase, { caseId: id }, caller);
  }

  @Post('cases/:id/transitions')
  @HttpCode(200)
  @Roles('clearinghouse')
  @ApiOperation({ operationId: 'transitionCase', summary: 'Move a case in its workflow (new → triaged → vendor-notified → fix-available → disclosed; rejected; duplicate). Illegal: 409. Roles: clearinghouse.' })
  @ApiBody({ type: TransitionCaseBody, examples: { triage: { summary: 'Triaged', value: { to: 'triaged', note: 'Reproduced on 1.3.2.' } } } })
  @ApiOkResponse({ type: CaseViewDoc, description: 'The case after the move', example: CASE_EXAMPLE })
  @ApiProblems(400, 401, 403, 404, 409, 429, 503, 504)
  transition(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: TransitionCaseBody) {
    return this.forwarder.forward(TransitionCase, { caseId: id, to: body.to, note: body.note }, caller);
  }

  @Post('cases/:id/embargo')
  @HttpCode(200)
  @Roles('clearinghouse')
  @ApiOperation({ operationId: 'extendEmbargo', summary: 'Extend the disclosure deadline, with a reason. Roles: clearinghouse.' })
  @ApiBody({ type: ExtendEmbargoBody, examples: { extend: { summary: 'Two more weeks', value: { deadlineAt: '2027-03-14T10:15:00Z', reason: 'The vendor needs time to ship the fix to LTS branches.' } } } })
  @ApiOkResponse({ type: CaseViewDoc, description: 'The case with its new deadline', example: { ...CASE_EXAMPLE, deadlineAt: '2027-03-14T10:15:00.000Z' } })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503, 504)
  embargo(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: ExtendEmbargoBody) {
    return this.forwarder.forward(ExtendEmbargo, { caseId: id, deadlineAt: body.deadlineAt, reason: body.reason }, caller);
  }

  @Post('cases/:id/access')
  @HttpCode(200)
  @Roles('clearinghouse')
  @ApiOperation({ operationId: 'grantCaseAccess', summary: "Add an organisation to a case's need-to-know list. Roles: clearinghouse." })
  @ApiBody({ type: GrantCaseAccessBody, examples: { lab: { summary: 'Let the lab see the case', value: { orgId: EXAMPLE_IDS.lab } } } })
  @ApiOkResponse({ type: CaseViewDoc, description: 'The case', example: CASE_EXAMPLE })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  access(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: GrantCaseAccessBody) {
    return this.forwarder.forward(GrantCaseAccess, { caseId: id, orgId: body.orgId }, caller);
  }

  // Merge, split and vendor status are open to every role here on purpose: the clearinghouse answers 404 to
  // anyone without need-to-know before it checks the role, so a stranger cannot learn that a case id exists.
  @Post('cases/:id/merge')
  @HttpCode(200)
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({
    operationId: 'mergeCases',
    summary: 'Merge another open case (body caseId) into this one: its findings, need-to-know and vendors move here, it becomes duplicate. Roles: clearinghouse.',
  })
  @ApiBody({ type: MergeCasesBody, examples: { merge: { summary: 'The same bug reported twice', value: { caseId: EXAMPLE_IDS.relatedCase, note: 'Same overflow, reported against 1.3.0.' } } } })
  @ApiOkResponse({ type: CaseViewDoc, description: 'The surviving case', example: CASE_EXAMPLE })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503, 504)
  merge(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: MergeCasesBody) {
    return this.forwarder.forward(MergeCases, { caseId: id, absorbedCaseId: body.caseId.toLowerCase(), note: body.note }, caller);
  }

  @Post('cases/:id/split')
  @HttpCode(201)
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ operationId: 'splitCase', summary: 'Move findings of this case into a new related case (triaged, same deadline); answers the new case. Roles: clearinghouse.' })
  @ApiIdempotencyKey()
  @ApiBody({ type: SplitCaseBody, examples: { split: { summary: 'A second bug in the same report', value: { findingIds: [EXAMPLE_IDS.duplicateFinding], note: 'A different root cause: an integer overflow.' } } } })
  @ApiCreatedResponse({
    type: CaseViewDoc,
    description: 'The new case',
    example: { ...CASE_EXAMPLE, id: EXAMPLE_IDS.relatedCase, state: 'triaged', findings: [CASE_EXAMPLE.findings[1]], vendors: [], relatedCaseIds: [EXAMPLE_IDS.case], history: [{ from: null, to: 'triaged', by: EXAMPLE_IDS.clearinghouse, at: '2026-12-02T09:00:00.000Z', note: 'A different root cause: an integer overflow.' }] },
  })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503, 504)
  split(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: SplitCaseBody, @Headers('idempotency-key') key?: string) {
    const request = { caseId: id, findingIds: body.findingIds, note: body.note };
    return this.forwarder.forward(SplitCase, request, caller, forwardedIdempotency(key, request));
  }

  @Post('cases/:id/vendors/:vendorId')
  @HttpCode(200)
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({
    operationId: 'setVendorStatus',
    summary: "Set a vendor's status on a case (affected, not-affected, fixed, unknown). Roles: clearinghouse; also the vendor's own organisation, whatever its kind.",
  })
  @ApiBody({ type: SetVendorStatusBody, examples: { fixed: { summary: 'The vendor shipped a fix', value: { status: 'fixed', note: 'Fixed in 1.4.1.' } } } })
  @ApiOkResponse({ type: CaseViewDoc, description: 'The case', example: CASE_EXAMPLE })
  @ApiProblems(400, 401, 403, 404, 409, 429, 503, 504)
  vendorStatus(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Param('vendorId', EntityIdPipe) vendorId: string, @Body() body: SetVendorStatusBody) {
    return this.forwarder.forward(SetVendorStatus, { caseId: id, vendorId, status: body.status, ...(body.note ? { note: body.note } : {}) }, caller);
  }

  @Get('cases/:id/advisory')
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ operationId: 'getAdvisory', summary: "The case's advisory (OSV, CSAF 2.0 or CVE JSON 5): need-to-know; anyone once disclosed. Roles: agency, lab, clearinghouse, operator." })
  @ApiOkResponse({
    description: 'The advisory in the format asked for: an OSV record (schema 1.7), a CSAF 2.0 document, or a CVE JSON 5 record, each valid against its own published schema',
    schema: { type: 'object', additionalProperties: true },
    example: OSV_ADVISORY_EXAMPLE,
  })
  @ApiProblems(400, 401, 404, 429, 503, 504)
  advisory(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Query() query: AdvisoryQuery) {
    return this.forwarder.forward(GetAdvisory, { caseId: id, format: query.format ?? 'osv' }, caller);
  }

  @Post('vendors')
  @HttpCode(201)
  @Roles('clearinghouse')
  @ApiOperation({ operationId: 'createVendor', summary: 'A vendor to coordinate with, matched to cases by purl prefix. Roles: clearinghouse.' })
  @ApiIdempotencyKey()
  @ApiBody({ type: CreateVendorRequest, examples: { vendor: { summary: 'A project and its security contact', value: { name: 'Libfoo Project', purlPrefixes: ['pkg:npm/libfoo'], contactUrl: 'mailto:security@libfoo.example', orgId: EXAMPLE_IDS.vendorOrg } } } })
  @ApiCreatedResponse({ type: VendorViewDoc, description: 'The vendor', example: VENDOR_EXAMPLE })
  @ApiProblems(400, 401, 403, 409, 422, 429, 503, 504)
  vendor(@Caller() caller: Principal, @Body() body: CreateVendorRequest, @Headers('idempotency-key') key?: string) {
    return this.forwarder.forward(CreateVendor, body, caller, forwardedIdempotency(key, body));
  }
}
