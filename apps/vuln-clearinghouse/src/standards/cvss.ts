// CVSS 3.1 and 4.0 vectors: checked strictly here, scored by ae-cvss-calculator.
//
// The calculator is lenient by design (it is a UI model): it silently fills missing base metrics with X,
// lets a later duplicate overwrite an earlier one, scores "CVSS:3.0/..." and prefix-less vectors as 3.1,
// and accepts SC/SI/SA:S in the 4.0 base group. So the syntax is checked against the specifications'
// metric tables below first, and the library only does the arithmetic (it matches all 270 of FIRST's
// CVSS 4.0 reference vectors; see cvss.spec.ts).
import { Cvss3P1, Cvss4P0 } from 'ae-cvss-calculator';

export type CvssVersion = '3.1' | '4.0';
export type CvssSeverity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface CvssScore {
  version: CvssVersion;
  /** Canonical metric order; metrics given as Not Defined (X) are dropped, as omitting them means the same. */
  vector: string;
  /**
   * 3.1: the Base score (temporal and environmental metrics, if given, stay in the vector only).
   * 4.0: the score of the whole vector, as FIRST's calculator gives it. CVSS 4.0 has no separate
   * "base score" once threat/environmental metrics are present; `nomenclature` says which it is.
   */
  baseScore: number;
  baseSeverity: CvssSeverity;
  /** 4.0 only: CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE, so a reader knows what the number includes. */
  nomenclature?: string;
}

/** An unusable vector; the message names what is wrong, for a 422. */
export class CvssVectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CvssVectorError';
  }
}

interface MetricSpec {
  values: readonly string[];
  required: boolean;
}

function metrics(required: boolean, table: Record<string, string>): Array<[string, MetricSpec]> {
  return Object.entries(table).map(([k, v]) => [k, { values: v.split(','), required }]);
}

// The order of entries is the specifications' canonical vector order (3.1 Table 15, 4.0 Table 23).
const V31 = new Map<string, MetricSpec>([
  ...metrics(true, { AV: 'N,A,L,P', AC: 'L,H', PR: 'N,L,H', UI: 'N,R', S: 'U,C', C: 'H,L,N', I: 'H,L,N', A: 'H,L,N' }),
  ...metrics(false, { E: 'X,H,F,P,U', RL: 'X,U,W,T,O', RC: 'X,C,R,U' }),
  ...metrics(false, {
    CR: 'X,H,M,L', IR: 'X,H,M,L', AR: 'X,H,M,L', MAV: 'X,N,A,L,P', MAC: 'X,L,H', MPR: 'X,N,L,H', MUI: 'X,N,R',
    MS: 'X,U,C', MC: 'X,H,L,N', MI: 'X,H,L,N', MA: 'X,H,L,N',
  }),
]);

const V40 = new Map<string, MetricSpec>([
  ...metrics(true, {
    AV: 'N,A,L,P', AC: 'L,H', AT: 'N,P', PR: 'N,L,H', UI: 'N,P,A', VC: 'H,L,N', VI: 'H,L,N', VA: 'H,L,N',
    SC: 'H,L,N', SI: 'H,L,N', SA: 'H,L,N',
  }),
  ...metrics(false, { E: 'X,A,P,U', CR: 'X,H,M,L', IR: 'X,H,M,L', AR: 'X,H,M,L' }),
  ...metrics(false, {
    MAV: 'X,N,A,L,P', MAC: 'X,L,H', MAT: 'X,N,P', MPR: 'X,N,L,H', MUI: 'X,N,P,A', MVC: 'X,H,L,N', MVI: 'X,H,L,N',
    MVA: 'X,H,L,N', MSC: 'X,H,L,N', MSI: 'X,S,H,L,N', MSA: 'X,S,H,L,N',
  }),
  ...metrics(false, { S: 'X,N,P', AU: 'X,N,Y', R: 'X,A,U,I', V: 'X,D,C', RE: 'X,L,M,H', U: 'X,Clear,Green,Amber,Red' }),
]);

const THREAT_40 = ['E'];
const ENVIRONMENTAL_40 = ['CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA'];

/** Parse, check and score a CVSS 3.1 or 4.0 vector string. Throws CvssVectorError for anything else. */
export function scoreCvss(vector: string): CvssScore {
  if (typeof vector !== 'string' || vector.length === 0) throw new CvssVectorError('CVSS vector is empty');
  if (vector.length > 300) throw new CvssVectorError('CVSS vector is too long');
  const [prefix, ...parts] = vector.split('/');
  let version: CvssVersion;
  if (prefix === 'CVSS:3.1') version = '3.1';
  else if (prefix === 'CVSS:4.0') version = '4.0';
  else if (/^CVSS:(3\.0|2\.0)$/.test(prefix)) throw new CvssVectorError(`CVSS vector version ${prefix.slice(5)} is not accepted: give CVSS 3.1 or 4.0`);
  else if (/^CVSS:/.test(prefix)) throw new CvssVectorError(`CVSS vector has an unknown version "${prefix}"`);
  else if (/(^|\/)Au:/.test(vector)) throw new CvssVectorError('CVSS vector looks like CVSS 2.0, which is not accepted: give CVSS 3.1 or 4.0');
  else throw new CvssVectorError('CVSS vector must start with "CVSS:3.1/" or "CVSS:4.0/"');

  const table = version === '3.1' ? V31 : V40;
  const given = new Map<string, string>();
  for (const part of parts) {
    const m = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!m) throw new CvssVectorError(`CVSS ${version} vector has a malformed part "${part}"`);
    const [, key, value] = m;
    const spec = table.get(key);
    if (!spec) throw new CvssVectorError(`CVSS ${version} vector has an unknown metric "${key}"`);
    // Metric names and values are case-sensitive in both specifications.
    if (!spec.values.includes(value)) throw new CvssVectorError(`CVSS ${version} metric ${key} has an invalid value "${value}"`);
    if (given.has(key)) throw new CvssVectorError(`CVSS ${version} vector gives metric ${key} more than once`);
    given.set(key, value);
  }
  const missing = [...table].filter(([k, s]) => s.required && !given.has(k)).map(([k]) => k);
  if (missing.length) throw new CvssVectorError(`CVSS ${version} vector is missing base metric(s) ${missing.join(', ')}`);

  // 3.1 says readers must accept any order; 4.0 is self-contradictory on it. Both are written back canonically.
  const canonical = [`CVSS:${version}`, ...[...table.keys()].filter((k) => given.has(k) && given.get(k) !== 'X').map((k) => `${k}:${given.get(k)}`)].join('/');

  if (version === '3.1') {
    const scores = new Cvss3P1(canonical).calculateScores();
    const baseScore = scores.base ?? Number.NaN;
    return { version, vector: canonical, baseScore: checked(baseScore, canonical), baseSeverity: severityOf(baseScore) };
  }
  const scores = new Cvss4P0(canonical).calculateScores();
  const defined = (keys: string[]) => keys.some((k) => given.has(k) && given.get(k) !== 'X');
  const nomenclature = `CVSS-B${defined(THREAT_40) ? 'T' : ''}${defined(ENVIRONMENTAL_40) ? 'E' : ''}`;
  return { version, vector: canonical, baseScore: checked(scores.overall, canonical), baseSeverity: severityOf(scores.overall), nomenclature };
}

// The qualitative rating scale is the same table in 3.1 (§5) and 4.0 (§6).
export function severityOf(score: number): CvssSeverity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

// A guard against a library regression turning a checked vector into NaN or an out-of-range number.
function checked(score: number, vector: string): number {
  if (!Number.isFinite(score) || score < 0 || score > 10) throw new CvssVectorError(`CVSS vector ${vector} could not be scored`);
  return score;
}
