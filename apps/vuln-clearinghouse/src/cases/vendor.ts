// Vendors to coordinate with, as plain rules: their purl prefixes, and who may set a vendor's status on a case.
import { CallerIdentity, CaseState, ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '@vantage/contracts';
import { normalisePurl } from '../standards';

/** Purl prefixes start with pkg:; a whole purl is normalised, a bare prefix such as "pkg:npm/@acme/" kept as given, lower-cased. */
export function purlPrefixes(prefixes: string[]): string[] {
  return prefixes.map((prefix, i) => {
    if (!prefix.startsWith('pkg:')) {
      throw new RuleViolationError('vendor_rejected', 'purl prefixes start with pkg:', [{ field: `purlPrefixes[${i}]`, message: 'must start with pkg:' }]);
    }
    try {
      return normalisePurl(prefix).purl;
    } catch {
      return prefix.toLowerCase();
    }
  });
}

/** A vendor as a case sees it: `status` is its status on the case, null when the case does not list it. */
export interface VendorOnCase {
  id: string;
  name: string;
  orgId: string | null;
  status: string | null;
}

/** A status change allowed: the status it moves from, and whether the vendor joins the case with it. */
export interface VendorStatusChange {
  from: string;
  joins: boolean;
}

/**
 * A vendor's status is set by an analyst, or by the vendor's own organisation for its own row only. An analyst may
 * bring in a vendor the purl match missed; a vendor organisation only answers for cases it is on. A rejected case has
 * nothing to coordinate, and a duplicate's vendors were moved to the case it joined.
 */
export function changeVendorStatus(caller: CallerIdentity, vendor: VendorOnCase | undefined, caseState: CaseState): VendorStatusChange {
  const analyst = caller.kind === 'clearinghouse';
  const ownVendor = !!vendor && vendor.orgId === caller.orgId;
  if (!analyst && !ownVendor) throw new ForbiddenError("only clearinghouse analysts and the vendor's own organisation set a vendor's status");
  if (!vendor) throw new NotFoundError('vendor');
  if (!vendor.status && !analyst) throw new NotFoundError('vendor');
  if (caseState === 'rejected' || caseState === 'duplicate') throw new ConflictError('case_closed', `a ${caseState} case has no vendor coordination`);
  return { from: vendor.status ?? 'unknown', joins: !vendor.status };
}

/** The history entry of a vendor's status change. */
export function vendorStatusNote(vendor: Pick<VendorOnCase, 'id' | 'name'>, from: string, status: string, note: string | undefined): string {
  return `vendor ${vendor.name} (${vendor.id}) status ${from} → ${status}${note ? `: ${note}` : ''}`;
}
