import { DomainError, RuleViolationError } from '@vantage/contracts';
import { checkMergePair, merge, split } from './case-merge';
import { aCase, aFinding, CASE_ID, CRITICAL, HIGH, OTHER_ID } from './fakes.testing';

const at = (iso: string) => new Date(iso);

describe('merge', () => {
  it('refuses to merge a case into itself', () => {
    expect(() => checkMergePair(CASE_ID, CASE_ID)).toThrow(new RuleViolationError('merge_rejected', 'caseId is this case; a case cannot be merged into itself'));
    expect(() => checkMergePair(CASE_ID, OTHER_ID)).not.toThrow();
  });

  it('refuses a case that does not exist, naming the body field', () => {
    expect(() => merge(aCase(), undefined)).toThrow('caseId no such case');
  });

  it('refuses closed cases on either side with a 409 naming the side', () => {
    const e1 = catchOf(() => merge(aCase({ state: 'disclosed' }), aCase({ id: OTHER_ID })));
    expect(e1).toMatchObject({ code: 'case_closed', status: 409, errors: [{ field: 'id', message: 'a disclosed case cannot absorb another case' }] });
    const e2 = catchOf(() => merge(aCase(), aCase({ id: OTHER_ID, state: 'rejected' })));
    expect(e2).toMatchObject({ code: 'case_closed', status: 409, errors: [{ field: 'caseId', message: 'a rejected case cannot be merged' }] });
  });

  it('merges any open case, even one already at vendor-notified', () => {
    expect(() => merge(aCase({ state: 'fix-available' }), aCase({ id: OTHER_ID, state: 'vendor-notified' }))).not.toThrow();
  });

  it('keeps the stricter embargo: the earlier deadline, in the wild if either was, the higher severity', () => {
    const target = aCase({ deadlineAt: at('2027-03-01T00:00:00Z'), severity: HIGH });
    const absorbed = aCase({ id: OTHER_ID, deadlineAt: at('2027-01-01T00:00:00Z'), exploitedInWild: true, severity: CRITICAL });
    expect(merge(target, absorbed)).toEqual({ deadlineAt: at('2027-01-01T00:00:00Z'), exploitedInWild: true, severity: CRITICAL, deadlineMoved: true });
  });

  it('leaves the survivor as it is when it is already the stricter', () => {
    const target = aCase({ deadlineAt: at('2027-01-01T00:00:00Z'), exploitedInWild: true, severity: CRITICAL });
    const absorbed = aCase({ id: OTHER_ID, deadlineAt: at('2027-03-01T00:00:00Z'), severity: HIGH });
    expect(merge(target, absorbed)).toEqual({ deadlineAt: at('2027-01-01T00:00:00Z'), exploitedInWild: true, severity: CRITICAL, deadlineMoved: false });
  });
});

describe('split', () => {
  const f1 = aFinding('018f0000-0000-7000-8000-00000000000a', { reportedAt: at('2026-11-01T00:00:00Z') });
  const f2 = aFinding('018f0000-0000-7000-8000-00000000000b', {
    reportedAt: at('2026-11-02T00:00:00Z'), affected: [{ purl: 'pkg:npm/acme-other@2.0.0' }], severity: CRITICAL, exploitedInWild: true,
  });
  const f3 = aFinding('018f0000-0000-7000-8000-00000000000c', { reportedAt: at('2026-11-03T00:00:00Z') });

  it('makes the new case from the earliest moved finding, under the source case deadline', () => {
    const source = aCase({ deadlineAt: at('2027-05-01T00:00:00Z') });
    const plan = split(source, [f1, f2, f3], [f3.id, f2.id.toUpperCase()]);
    expect(plan.moving).toEqual([f2, f3]);
    expect(plan.first).toBe(f2);
    expect(plan.productKey).toBe('pkg:npm/acme-other');
    expect(plan.severity).toBe(CRITICAL);
    expect(plan.exploitedInWild).toBe(true);
    expect(plan.deadlineAt).toEqual(at('2027-05-01T00:00:00Z'));
  });

  it('refuses a closed case', () => {
    const e = catchOf(() => split(aCase({ state: 'duplicate' }), [f1, f2], [f2.id]));
    expect(e).toMatchObject({ code: 'case_closed', status: 409, errors: [{ field: 'id', message: 'a duplicate case cannot be split' }] });
  });

  it('names each finding listed twice or not of this case', () => {
    const e = catchOf(() => split(aCase(), [f1, f2], [f2.id, f2.id, '018f0000-0000-7000-8000-0000000000ff']));
    expect(e).toBeInstanceOf(RuleViolationError);
    expect(e).toMatchObject({
      code: 'split_rejected',
      errors: [{ field: 'findingIds[1]', message: 'is listed twice' }, { field: 'findingIds[2]', message: 'is not a finding of this case' }],
    });
  });

  it('keeps at least one finding in the case', () => {
    expect(() => split(aCase(), [f1, f2], [f1.id, f2.id])).toThrow('findingIds would move every finding; at least one must stay in the case');
  });
});

function catchOf(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}
