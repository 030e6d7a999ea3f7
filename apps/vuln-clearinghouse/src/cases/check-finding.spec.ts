import { RuleViolationError, SubmitFindingRequest } from '@vantage/contracts';
import { checkFinding } from './check-finding';

const CVSS = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

function finding(over: Partial<SubmitFindingRequest> = {}): SubmitFindingRequest {
  return { title: 'SQL injection', description: 'd', affected: [{ purl: 'pkg:npm/acme-search@1.2.3' }], cvssVector: CVSS, cwe: 'CWE-89', ...over };
}

function problemsOf(f: SubmitFindingRequest): { field: string; message: string }[] {
  try {
    checkFinding(f);
  } catch (e) {
    expect(e).toBeInstanceOf(RuleViolationError);
    return (e as RuleViolationError).errors ?? [];
  }
  throw new Error('expected the finding to be rejected');
}

describe('checking a finding', () => {
  it('answers the product keys, the purls to match vendors by, the weakness and the score', () => {
    const checked = checkFinding(finding({ affected: [{ purl: 'pkg:npm/acme-search@1.2.3' }, { vendor: 'Acme', product: 'Gateway' }] }));
    expect(checked.productKeys).toHaveLength(2);
    expect(checked.productKeys[0]).toBe('pkg:npm/acme-search');
    expect(checked.purls).toEqual(['pkg:npm/acme-search']);
    expect(checked.cwe).toBe('CWE-89');
    expect(checked.severity).toMatchObject({ version: '3.1', baseScore: 9.8, baseSeverity: 'CRITICAL' });
  });

  it('needs each product named by exactly one form', () => {
    expect(problemsOf(finding({ affected: [{ purl: 'pkg:npm/a@1', cpe: 'cpe:2.3:a:acme:a:1:*:*:*:*:*:*:*' }] }))).toEqual([
      { field: 'affected[0]', message: 'must name the product by exactly one of purl, cpe, or vendor and product' },
    ]);
    expect(problemsOf(finding({ affected: [{}] }))[0].field).toBe('affected[0]');
  });

  it('names the field of an identifier that does not parse, and a vendor without its product', () => {
    expect(problemsOf(finding({ affected: [{ purl: 'not-a-purl' }] }))[0].field).toBe('affected[0].purl');
    expect(problemsOf(finding({ affected: [{ cpe: 'cpe:bogus' }] }))[0].field).toBe('affected[0].cpe');
    expect(problemsOf(finding({ affected: [{ vendor: 'Acme' }] }))[0].field).toBe('affected[0].product');
  });

  it('takes fixed or lastAffected, not both', () => {
    expect(problemsOf(finding({ affected: [{ purl: 'pkg:npm/a@1', versions: { fixed: '2', lastAffected: '1.9' } }] }))).toEqual([
      { field: 'affected[0].versions', message: 'may give fixed or lastAffected, not both' },
    ]);
  });

  it('names a bad weakness and a vector that does not score, all at once', () => {
    expect(problemsOf(finding({ cwe: 'XSS', cvssVector: 'CVSS:3.1/AV:N' })).map((p) => p.field)).toEqual(['cwe', 'cvssVector']);
  });
});
