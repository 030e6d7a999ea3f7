// The rules a finding must meet beyond its shape, each failure naming its field (422): one product form per
// affected entry, identifiers that parse, a CWE id of the right form, a CVSS 3.1 or 4.0 vector that scores.
import { FieldProblem, RuleViolationError, SubmitFindingRequest } from '@vantage/contracts';
import { checkCwe, normalisePurl, parseCpe23, productKey, scoreCvss } from '../standards';

export interface CheckedFinding {
  productKeys: string[];
  cwe?: string;
  severity: { version: '3.1' | '4.0'; vector: string; baseScore: number; baseSeverity: string };
  purls: string[];
}

export function checkFinding(f: SubmitFindingRequest): CheckedFinding {
  const problems: FieldProblem[] = [];
  const productKeys: string[] = [];
  const purls: string[] = [];
  f.affected.forEach((a, i) => {
    const forms = [a.purl !== undefined, a.cpe !== undefined, a.vendor !== undefined || a.product !== undefined].filter(Boolean).length;
    if (forms !== 1) {
      problems.push({ field: `affected[${i}]`, message: 'must name the product by exactly one of purl, cpe, or vendor and product' });
      return;
    }
    try {
      if (a.purl !== undefined) purls.push(normalisePurl(a.purl).purl);
      if (a.cpe !== undefined) parseCpe23(a.cpe);
      if ((a.vendor === undefined) !== (a.product === undefined)) throw new Error('needs both vendor and product');
      productKeys.push(productKey(a));
    } catch (e) {
      const field = a.purl !== undefined ? 'purl' : a.cpe !== undefined ? 'cpe' : a.vendor === undefined ? 'vendor' : 'product';
      problems.push({ field: `affected[${i}].${field}`, message: (e as Error).message });
    }
    const v = a.versions;
    if (v && v.fixed !== undefined && v.lastAffected !== undefined) {
      problems.push({ field: `affected[${i}].versions`, message: 'may give fixed or lastAffected, not both' });
    }
  });
  let cwe: string | undefined;
  if (f.cwe !== undefined) {
    try {
      cwe = checkCwe(f.cwe);
    } catch (e) {
      problems.push({ field: 'cwe', message: (e as Error).message });
    }
  }
  let severity: CheckedFinding['severity'] | undefined;
  try {
    severity = scoreCvss(f.cvssVector);
  } catch (e) {
    problems.push({ field: 'cvssVector', message: (e as Error).message });
  }
  if (problems.length || !severity) {
    throw new RuleViolationError('finding_rejected', problems.map((p) => `${p.field} ${p.message}`).join('; '), problems);
  }
  return { productKeys, cwe, severity, purls };
}
