// The clearinghouse's routes at the gateway: shapes checked here with the contract classes; the clearinghouse
// decides need-to-know, workflow and everything else (forwarded with the caller's identity).
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Caller, Principal, Roles } from '@vantage/auth';
import {
  CASE_STATES, CaseState, CreateVendor, CreateVendorRequest, ExtendEmbargo, GetAdvisory, GetCase, GrantCaseAccess, IsRfc3339, ListCases,
  MergeCases, SetVendorStatus, SplitCase, SubmitFinding, SubmitFindingRequest, TransitionCase, VENDOR_STATUSES, VendorStatus,
} from '@vantage/contracts';
import { ApiProblems } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { Forwarder } from '../http/forwarder';
import { forwardedIdempotency } from '../http/idempotency';

class ListCasesQuery {
  @ApiPropertyOptional({ enum: CASE_STATES })
  @IsOptional() @IsIn(CASE_STATES as unknown as string[])
  state?: CaseState;
}

class TransitionBody {
  @IsIn(CASE_STATES as unknown as string[]) to: CaseState;
  @IsString() @Length(1, 2000) note: string;
}

class EmbargoBody {
  @IsRfc3339() deadlineAt: string;
  @IsString() @Length(1, 2000) reason: string;
}

class AccessBody {
  @IsUUID() orgId: string;
}

class MergeBody {
  /** The case to absorb into the one in the path. */
  @IsUUID() caseId: string;
  @IsString() @Length(1, 2000) note: string;
}

class SplitBody {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsUUID('all', { each: true }) findingIds: string[];
  @IsString() @Length(1, 2000) note: string;
}

class VendorStatusBody {
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
  @ApiOperation({ summary: 'Report a vulnerability finding: scored, deduplicated into a case. Roles: agency, lab, clearinghouse.' })
  @ApiBody({ description: 'See API.md: title, description, affected[] (purl | cpe | vendor+product, versions), cwe, cvssVector (3.1 or 4.0), location, proofOfConcept, discoveredWith, exploitedInWild' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the first answer again. Same key, other body: 409.' })
  @ApiProblems(400, 401, 403, 409, 413, 422, 429, 503, 504)
  submit(@Caller() caller: Principal, @Body() body: SubmitFindingRequest, @Headers('idempotency-key') key?: string) {
    // The clearinghouse keeps the answer under the key in the transaction that records the finding: a retry after
    // a 504 or a lost connection reports nothing twice.
    return this.forwarder.forward(SubmitFinding, body, caller, forwardedIdempotency(key, body));
  }

  @Get('cases')
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ summary: 'Cases you have need-to-know for, and disclosed ones. Roles: all kinds.' })
  @ApiProblems(400, 401, 429, 503, 504)
  list(@Caller() caller: Principal, @Query() query: ListCasesQuery) {
    return this.forwarder.forward(ListCases, query.state ? { state: query.state } : {}, caller);
  }

  @Get('cases/:id')
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ summary: 'A case with its findings, severity, state, embargo deadline, vendors and history: need-to-know, or anyone once disclosed.' })
  @ApiProblems(401, 404, 429, 503, 504)
  get(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string) {
    return this.forwarder.forward(GetCase, { caseId: id }, caller);
  }

  @Post('cases/:id/transitions')
  @HttpCode(200)
  @Roles('clearinghouse')
  @ApiOperation({ summary: 'Move a case in its workflow (new → triaged → vendor-notified → fix-available → disclosed; rejected; duplicate). Illegal: 409. Roles: clearinghouse.' })
  @ApiProblems(400, 401, 403, 404, 409, 429, 503, 504)
  transition(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: TransitionBody) {
    return this.forwarder.forward(TransitionCase, { caseId: id, to: body.to, note: body.note }, caller);
  }

  @Post('cases/:id/embargo')
  @HttpCode(200)
  @Roles('clearinghouse')
  @ApiOperation({ summary: 'Extend the disclosure deadline, with a reason. Roles: clearinghouse.' })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503, 504)
  embargo(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: EmbargoBody) {
    return this.forwarder.forward(ExtendEmbargo, { caseId: id, deadlineAt: body.deadlineAt, reason: body.reason }, caller);
  }

  @Post('cases/:id/access')
  @HttpCode(200)
  @Roles('clearinghouse')
  @ApiOperation({ summary: "Add an organisation to a case's need-to-know list. Roles: clearinghouse." })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  access(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: AccessBody) {
    return this.forwarder.forward(GrantCaseAccess, { caseId: id, orgId: body.orgId }, caller);
  }

  // Merge, split and vendor status are open to every role here on purpose: the clearinghouse answers 404 to
  // anyone without need-to-know before it checks the role, so a stranger cannot learn that a case id exists.
  @Post('cases/:id/merge')
  @HttpCode(200)
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ summary: "Merge another open case (body caseId) into this one: its findings, need-to-know and vendors move here, it becomes duplicate. Roles: clearinghouse." })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503, 504)
  merge(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: MergeBody) {
    return this.forwarder.forward(MergeCases, { caseId: id, absorbedCaseId: body.caseId.toLowerCase(), note: body.note }, caller);
  }

  @Post('cases/:id/split')
  @HttpCode(201)
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ summary: 'Move findings of this case into a new related case (triaged, same deadline); answers the new case. Roles: clearinghouse.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the first answer again. Same key, other body: 409.' })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503, 504)
  split(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: SplitBody, @Headers('idempotency-key') key?: string) {
    const request = { caseId: id, findingIds: body.findingIds, note: body.note };
    return this.forwarder.forward(SplitCase, request, caller, forwardedIdempotency(key, request));
  }

  @Post('cases/:id/vendors/:vendorId')
  @HttpCode(200)
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ summary: "Set a vendor's status on a case (affected, not-affected, fixed, unknown). Roles: clearinghouse, or the vendor's own organisation." })
  @ApiProblems(400, 401, 403, 404, 409, 429, 503, 504)
  vendorStatus(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Param('vendorId', EntityIdPipe) vendorId: string, @Body() body: VendorStatusBody) {
    return this.forwarder.forward(SetVendorStatus, { caseId: id, vendorId, status: body.status, ...(body.note ? { note: body.note } : {}) }, caller);
  }

  @Get('cases/:id/advisory')
  @Roles('agency', 'lab', 'clearinghouse', 'operator')
  @ApiOperation({ summary: "The case's advisory (OSV, CSAF 2.0 or CVE JSON 5): need-to-know; anyone once disclosed." })
  @ApiProblems(400, 401, 404, 429, 503, 504)
  advisory(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Query() query: AdvisoryQuery) {
    return this.forwarder.forward(GetAdvisory, { caseId: id, format: query.format ?? 'osv' }, caller);
  }

  @Post('vendors')
  @HttpCode(201)
  @Roles('clearinghouse')
  @ApiOperation({ summary: 'A vendor to coordinate with, matched to cases by purl prefix. Roles: clearinghouse.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the first answer again. Same key, other body: 409.' })
  @ApiProblems(400, 401, 403, 409, 422, 429, 503, 504)
  vendor(@Caller() caller: Principal, @Body() body: CreateVendorRequest, @Headers('idempotency-key') key?: string) {
    return this.forwarder.forward(CreateVendor, body, caller, forwardedIdempotency(key, body));
  }
}
