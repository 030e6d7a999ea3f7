// Answers the gateway's window routes, enforcing who may see what with the caller's identity.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CallerIdentity, GetWindow, GetWindowRequest, ListWindows, ListWindowsRequest, NotFoundError, WindowView,
} from '@vantage/contracts';
import { OnRequest, RpcContext } from '@vantage/messaging';
import { GrantRow, WindowRow } from './window.entity';

@Injectable()
export class WindowQueriesHandlers {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @OnRequest(GetWindow)
  async getWindow(request: GetWindowRequest, ctx: RpcContext): Promise<WindowView> {
    const caller = requireCaller(ctx);
    const row = await this.dataSource.getRepository(WindowRow).findOneBy({ submissionId: request.submissionId });
    if (!row) throw new NotFoundError('window');
    const grants = await this.dataSource.getRepository(GrantRow).find({ where: { submissionId: row.submissionId }, order: { issuedAt: 'ASC' } });
    const visible =
      caller.kind === 'operator' ||
      (caller.kind === 'lab' && row.labId === caller.orgId) ||
      (caller.kind === 'agency' && grants.some((g) => g.agencyId === caller.orgId));
    if (!visible) throw new NotFoundError('window');
    return view(row, caller.kind === 'agency' ? grants.filter((g) => g.agencyId === caller.orgId) : grants);
  }

  @OnRequest(ListWindows)
  async listWindows(request: ListWindowsRequest, ctx: RpcContext): Promise<{ items: WindowView[] }> {
    const caller = requireCaller(ctx);
    const q = this.dataSource.getRepository(WindowRow).createQueryBuilder('w').orderBy('w.opens_at', 'ASC').limit(500);
    if (request.state) q.andWhere('w.state = :state', { state: request.state });
    if (caller.kind === 'lab') q.andWhere('w.lab_id = :org', { org: caller.orgId });
    else if (caller.kind === 'agency') {
      q.andWhere('EXISTS (SELECT 1 FROM grants g WHERE g.submission_id = w.submission_id AND g.agency_id = :org)', { org: caller.orgId });
    } else if (caller.kind !== 'operator') return { items: [] };
    const rows = await q.getMany();
    const grants = rows.length
      ? await this.dataSource.getRepository(GrantRow).createQueryBuilder('g').where('g.submission_id IN (:...ids)', { ids: rows.map((r) => r.submissionId) }).getMany()
      : [];
    return {
      items: rows.map((r) =>
        view(r, grants.filter((g) => g.submissionId === r.submissionId && (caller.kind !== 'agency' || g.agencyId === caller.orgId))),
      ),
    };
  }
}

function requireCaller(ctx: RpcContext): CallerIdentity {
  if (!ctx.caller) throw new NotFoundError('window');
  return ctx.caller;
}

function view(row: WindowRow, grants: GrantRow[]): WindowView {
  return {
    submissionId: row.submissionId,
    state: row.state,
    opensAt: row.opensAt.toISOString(),
    closesAt: row.closesAt.toISOString(),
    ...(row.closedReason ? { closedReason: row.closedReason } : {}),
    ...(row.closedAt ? { closedAt: row.closedAt.toISOString() } : {}),
    grants: grants.map((g) => ({ agencyId: g.agencyId, state: g.state })),
  };
}
