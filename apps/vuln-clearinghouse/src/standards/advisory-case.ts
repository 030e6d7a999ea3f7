// The plain input every advisory exporter takes, and the product view they share, so that OSV, CSAF and
// the CVE record name the same products, versions and credits the same way.
import type { CvssSeverity, CvssVersion } from './cvss';
import { checkCwe, checkVersionRange, IdentifierError, normalisePurl, NormalisedPurl, parseCpe23, Cpe23, productKey, unescapeCpeValue, VersionRange } from './identifiers';

export type CreditType = 'finder' | 'tool' | 'coordinator';
/** OSV's reference vocabulary, lower-cased; CSAF and CVE map it to their own. */
export type ReferenceType = 'advisory' | 'article' | 'report' | 'fix' | 'package' | 'evidence' | 'web';

export interface AdvisoryProduct {
  purl?: string;
  cpe?: string;
  vendor?: string;
  product?: string;
  /** Omitted: every version is affected. */
  versions?: VersionRange;
  /** The coordinating vendor's display name, when the case matched one; preferred over what the identifier implies. */
  vendorName?: string;
}

export interface AdvisoryCase {
  id: string;
  cveId?: string;
  title: string;
  description: string;
  cwe?: string;
  severity: { version: CvssVersion; vector: string; baseScore: number; baseSeverity: CvssSeverity };
  affected: AdvisoryProduct[];
  credits: Array<{ name: string; type: CreditType }>;
  /** AI provenance of the finding; model and tool become a `tool` credit in every format. */
  discoveredWith?: { model?: string; submissionId?: string; tool?: string };
  /** RFC 3339. For a case not yet disclosed, the caller passes the planned or reported date. */
  publishedAt: string;
  modifiedAt: string;
  /** The case workflow state; only 'disclosed' yields a final advisory, 'rejected' a withdrawn OSV record. */
  state: string;
  references?: Array<{ url: string; type?: ReferenceType }>;
  exploitedInWild: boolean;
}

export class AdvisoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdvisoryError';
  }
}

export interface ProductView {
  key: string;
  vendor: string;
  product: string;
  purl?: NormalisedPurl;
  cpe?: Cpe23;
  versions?: VersionRange;
}

/** Each affected entry checked and given display names (exporters never see an unchecked identifier). */
export function productViews(c: AdvisoryCase): ProductView[] {
  if (!c.affected.length) throw new AdvisoryError('an advisory needs at least one affected product');
  return c.affected.map((a, i) => {
    try {
      const key = productKey(a);
      const versions = a.versions && Object.values(a.versions).some((v) => v !== undefined) ? checkVersionRange(a.versions) : undefined;
      if (a.purl !== undefined) {
        const purl = normalisePurl(a.purl);
        // Named as the package's ecosystem writes it (Maven group:artifact, npm @scope/name).
        const product = !purl.namespace ? purl.name : purl.type === 'maven' ? `${purl.namespace}:${purl.name}` : `${purl.namespace}/${purl.name}`;
        // A package without a named vendor is its own vendor, as CVE records conventionally write (curl / curl).
        const vendor = a.vendorName ?? purl.namespace?.replace(/^@/, '') ?? purl.name;
        return { key, vendor, product, purl, versions };
      }
      if (a.cpe !== undefined) {
        const cpe = parseCpe23(a.cpe);
        return { key, vendor: a.vendorName ?? unescapeCpeValue(cpe.vendor), product: unescapeCpeValue(cpe.product), cpe, versions };
      }
      return { key, vendor: a.vendorName ?? tidy(a.vendor), product: tidy(a.product), versions };
    } catch (e) {
      if (e instanceof IdentifierError) throw new AdvisoryError(`affected[${i}]: ${e.message}`);
      throw e;
    }
  });
}

function tidy(s: string | undefined): string {
  return (s ?? '').trim().replace(/\s+/g, ' ');
}

/** The case's credits plus the AI tool credit, once. */
export function allCredits(c: AdvisoryCase): Array<{ name: string; type: CreditType }> {
  const credits = c.credits.filter((cr) => cr.name.trim());
  const tool = toolCreditName(c);
  if (tool && !credits.some((cr) => cr.type === 'tool' && cr.name === tool)) credits.push({ name: tool, type: 'tool' });
  return credits;
}

/** "model (tool)", or whichever of the two is known. The submission id stays internal. */
export function toolCreditName(c: AdvisoryCase): string | undefined {
  const model = c.discoveredWith?.model?.trim();
  const tool = c.discoveredWith?.tool?.trim();
  if (model && tool) return `${model} (${tool})`;
  return model || tool || undefined;
}

/** RFC 3339 in UTC with a Z, which OSV's schema insists on and CSAF and CVE accept. */
export function utc(timestamp: string, field: string): string {
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) throw new AdvisoryError(`${field} is not a timestamp: ${timestamp}`);
  return d.toISOString();
}

export function checkCveId(c: AdvisoryCase): string | undefined {
  if (c.cveId === undefined) return undefined;
  if (!/^CVE-[0-9]{4}-[0-9]{4,19}$/.test(c.cveId)) throw new AdvisoryError(`cveId "${c.cveId}" is not a CVE id`);
  return c.cveId;
}

export function checkedCwe(c: AdvisoryCase): string | undefined {
  if (c.cwe === undefined) return undefined;
  try {
    return checkCwe(c.cwe);
  } catch (e) {
    throw new AdvisoryError((e as Error).message);
  }
}
