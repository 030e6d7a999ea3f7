// Who may call a lab's model through the gateway, pure: an agency with an active grant, on an open window, of a
// submission still active. The answer never reveals whether a submission the agency has no part in exists.
import { ConflictError, ForbiddenError } from '@vantage/contracts';

/** What the gateway's read model says of a submission and one agency (undefined: no such submission). */
export interface AccessStanding {
  submissionStatus: string;
  /** null: no window recorded yet. */
  windowState: string | null;
  /** The consenting agencies; null: every agency. */
  agencies: string[] | null;
  /** This agency's grant; null: none. */
  grantState: string | null;
}

export type AccessVerdict = 'open' | 'no-grant' | 'not-open';

export function judgeAccess(standing: AccessStanding | undefined, agencyId: string): AccessVerdict {
  if (!standing) return 'no-grant';
  const consents = !!standing.grantState || (!!standing.windowState && (standing.agencies === null || standing.agencies.includes(agencyId)));
  if (!consents) return 'no-grant';
  const open = standing.submissionStatus === 'active' && standing.windowState === 'open' && standing.grantState === 'active';
  return open ? 'open' : 'not-open';
}

/** No grant (or no consent, or no such submission): 403. A grant but the window not open: 409. */
export function assertAccess(standing: AccessStanding | undefined, agencyId: string): void {
  const verdict = judgeAccess(standing, agencyId);
  if (verdict === 'no-grant') throw new ForbiddenError('your agency holds no grant for this model');
  if (verdict === 'not-open') throw new ConflictError('window_not_open', 'the access window for this model is not open');
}
