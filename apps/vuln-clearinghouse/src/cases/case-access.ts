// Need-to-know: a case is visible to its reporters, the clearinghouse, its matched vendors and the
// organisations an analyst added; to everyone once disclosed. Anyone else is told it does not exist.
// Who may do what to a case, as plain rules.
import { Audience, CallerIdentity, CaseState, ForbiddenError, NotFoundError } from '@vantage/contracts';

/** What need-to-know is decided on: the case's state and whether the caller's organisation is on its list. */
export interface CaseAccess {
  state: CaseState;
  listed: boolean;
}

/** A stranger learns nothing (404), whether or not the case exists. */
export function mayRead(access: CaseAccess | undefined, caller: CallerIdentity): CaseAccess {
  if (!access || !(access.state === 'disclosed' || access.listed || caller.kind === 'clearinghouse')) throw new NotFoundError('case');
  return access;
}

/** The organisations on the case's list and the clearinghouse; everyone once disclosed. */
export function caseAudience(listedOrgs: string[], disclosed: boolean): Audience {
  if (disclosed) return Audience.of({ roles: ['lab', 'agency', 'clearinghouse', 'operator'] });
  return Audience.of({ orgs: listedOrgs, roles: ['clearinghouse'] });
}

/** Moves, embargo changes, merges, splits and vendors are the clearinghouse analysts' (403 otherwise). */
export function requireAnalyst(caller: CallerIdentity, refusal: string): void {
  if (caller.kind !== 'clearinghouse') throw new ForbiddenError(refusal);
}

/** Findings come from agencies, labs and the clearinghouse (403 otherwise). */
export function requireReporter(caller: CallerIdentity): void {
  if (!['agency', 'lab', 'clearinghouse'].includes(caller.kind)) throw new ForbiddenError('findings come from agencies, labs and the clearinghouse');
}
