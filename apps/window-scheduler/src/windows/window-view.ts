// Who may see a window, and what of it. Pure.
import { CallerIdentity, WindowView } from '@vantage/contracts';
import { GrantRow, WindowRow } from './window.entity';

/** An operator sees every window; a lab its own; an agency one it holds a grant for (active or revoked). */
export function mayRead(caller: CallerIdentity, row: WindowRow, grants: GrantRow[]): boolean {
  return (
    caller.kind === 'operator' ||
    (caller.kind === 'lab' && row.labId === caller.orgId) ||
    (caller.kind === 'agency' && grants.some((g) => g.agencyId === caller.orgId))
  );
}

/** An agency sees only its own grant; the lab and operators see them all. */
export function visibleGrants(caller: CallerIdentity, grants: GrantRow[]): GrantRow[] {
  return caller.kind === 'agency' ? grants.filter((g) => g.agencyId === caller.orgId) : grants;
}

/** Which windows a list may hold for the caller: a lab's own, an agency's granted ones, all for an operator. */
export function listScope(caller: CallerIdentity): { labId?: string; agencyId?: string } | undefined {
  if (caller.kind === 'operator') return {};
  if (caller.kind === 'lab') return { labId: caller.orgId };
  if (caller.kind === 'agency') return { agencyId: caller.orgId };
  return undefined;
}

export function windowView(row: WindowRow, grants: GrantRow[]): WindowView {
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
