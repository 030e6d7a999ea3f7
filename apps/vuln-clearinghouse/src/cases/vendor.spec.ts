import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '@vantage/contracts';
import { ANALYST, LAB } from './fakes.testing';
import { changeVendorStatus, purlPrefixes, VendorOnCase, vendorStatusNote } from './vendor';

const vendor = (over: Partial<VendorOnCase> = {}): VendorOnCase => ({ id: 'v1', name: 'Acme', orgId: 'org-acme', status: 'unknown', ...over });
const ACME = { orgId: 'org-acme', kind: 'lab' as const };

describe('purl prefixes', () => {
  it('normalises a whole purl (without its version) and keeps a bare prefix as given, lower-cased', () => {
    expect(purlPrefixes(['pkg:npm/acme-search@1.2.3', 'pkg:npm/@ACME/'])).toEqual(['pkg:npm/acme-search', 'pkg:npm/@acme/']);
  });

  it('refuses a prefix without pkg:, naming it', () => {
    expect(() => purlPrefixes(['pkg:npm/a', 'npm/b'])).toThrow(RuleViolationError);
    try {
      purlPrefixes(['pkg:npm/a', 'npm/b']);
    } catch (e) {
      expect((e as RuleViolationError).errors).toEqual([{ field: 'purlPrefixes[1]', message: 'must start with pkg:' }]);
    }
  });
});

describe("a vendor's status on a case", () => {
  it('may be set by an analyst, from the status it had', () => {
    expect(changeVendorStatus(ANALYST, vendor({ status: 'affected' }), 'triaged')).toEqual({ from: 'affected', joins: false });
  });

  it('lets an analyst bring in a vendor the purl match missed', () => {
    expect(changeVendorStatus(ANALYST, vendor({ status: null }), 'triaged')).toEqual({ from: 'unknown', joins: true });
  });

  it("may be set by the vendor's own organisation, for a case it is on", () => {
    expect(changeVendorStatus(ACME, vendor(), 'vendor-notified')).toEqual({ from: 'unknown', joins: false });
    expect(() => changeVendorStatus(ACME, vendor({ status: null }), 'vendor-notified')).toThrow(NotFoundError);
  });

  it('refuses anyone else, and an unknown vendor', () => {
    expect(() => changeVendorStatus(LAB, vendor(), 'triaged')).toThrow(ForbiddenError);
    expect(() => changeVendorStatus(LAB, undefined, 'triaged')).toThrow(ForbiddenError);
    expect(() => changeVendorStatus(ANALYST, undefined, 'triaged')).toThrow(new NotFoundError('vendor'));
  });

  it('refuses rejected and duplicate cases, not disclosed ones', () => {
    expect(() => changeVendorStatus(ANALYST, vendor(), 'rejected')).toThrow(new ConflictError('case_closed', 'a rejected case has no vendor coordination'));
    expect(() => changeVendorStatus(ANALYST, vendor(), 'duplicate')).toThrow(ConflictError);
    expect(changeVendorStatus(ANALYST, vendor(), 'disclosed').from).toBe('unknown');
  });

  it('is written in the history with the note, if any', () => {
    expect(vendorStatusNote(vendor(), 'unknown', 'fixed', undefined)).toBe('vendor Acme (v1) status unknown → fixed');
    expect(vendorStatusNote(vendor(), 'unknown', 'fixed', 'in 2.0')).toBe('vendor Acme (v1) status unknown → fixed: in 2.0');
  });
});
