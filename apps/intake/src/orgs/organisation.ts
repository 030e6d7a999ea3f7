// An organisation's rules, pure: only agencies carry a clearance, and every agency has one.
import { Clearance, OrgKind, RuleViolationError } from '@vantage/contracts';

export function assertClearance(org: { kind: OrgKind; clearance?: Clearance | null }): void {
  if (org.kind === 'agency' && !org.clearance) {
    throw new RuleViolationError('clearance_required', 'an agency needs a clearance', [{ field: 'clearance', message: 'is required for an agency' }]);
  }
  if (org.kind !== 'agency' && org.clearance) {
    throw new RuleViolationError('clearance_not_applicable', 'only agencies carry a clearance', [
      { field: 'clearance', message: `does not apply to a ${org.kind}` },
    ]);
  }
}
