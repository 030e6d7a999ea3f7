// Product identifiers (purl, CPE 2.3, vendor + product), CWE ids and version ranges: checked once at the
// door so that deduplication keys and advisories never see two spellings of the same thing.
import { PackageURL } from 'packageurl-js';

/** An identifier that does not parse; the message names what is wrong, for a 422. */
export class IdentifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentifierError';
  }
}

export interface NormalisedPurl {
  /** Canonical purl without its version (qualifiers and subpath kept: they are part of the identity). */
  purl: string;
  type: string;
  namespace?: string;
  name: string;
  version?: string;
}

/** Parse a purl and apply the purl spec's per-type normalisation (e.g. npm and PyPI names lower-cased). */
export function normalisePurl(purl: string): NormalisedPurl {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(purl);
  } catch (e) {
    // packageurl-js messages already say which component is wrong ("Invalid purl: ...").
    throw new IdentifierError((e as Error).message);
  }
  const unversioned = new PackageURL(p.type, p.namespace, p.name, undefined, p.qualifiers, p.subpath);
  return {
    purl: unversioned.toString(),
    type: p.type,
    ...(p.namespace ? { namespace: p.namespace } : {}),
    name: p.name,
    ...(p.version ? { version: p.version } : {}),
  };
}

export interface Cpe23 {
  /** The whole formatted string, lower-cased (CPE 2.3 matching is case-insensitive). */
  cpe: string;
  part: 'a' | 'o' | 'h';
  vendor: string;
  product: string;
  version: string;
  update: string;
  edition: string;
  language: string;
  swEdition: string;
  targetSw: string;
  targetHw: string;
  other: string;
}

// One component of the formatted string binding (NISTIR 7695 §6.2): ANY (*), NA (-), or a value of unreserved
// characters and backslash-escaped punctuation, with unquoted ? or * wildcards only at either end.
const AVSTRING = String.raw`(?:(?:\?*|\*?)(?:[a-zA-Z0-9\-._]|\\[\\*?!"#$%&'()+,/:;<=>@\[\]^${'`'}{|}~])+(?:\?*|\*?)|[*-])`;
const LANGUAGE = String.raw`(?:[a-zA-Z]{2,3}(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?|[*-])`;
const COMPONENT = new RegExp(`^${AVSTRING}$`);
const LANGUAGE_COMPONENT = new RegExp(`^${LANGUAGE}$`);
const FIELDS = ['vendor', 'product', 'version', 'update', 'edition', 'language', 'swEdition', 'targetSw', 'targetHw', 'other'] as const;

/** Validate a CPE 2.3 formatted string and split it into its eleven attributes, lower-cased. */
export function parseCpe23(cpe: string): Cpe23 {
  if (typeof cpe !== 'string' || !/^cpe:2\.3:/i.test(cpe)) throw new IdentifierError('CPE must be a CPE 2.3 formatted string starting "cpe:2.3:"');
  const components = splitUnescaped(cpe.slice('cpe:2.3:'.length));
  if (components.length !== 11) throw new IdentifierError(`CPE 2.3 needs 13 colon-separated components, got ${components.length + 2}`);
  const [part, ...rest] = components.map((c) => c.toLowerCase());
  if (part !== 'a' && part !== 'o' && part !== 'h') throw new IdentifierError(`CPE part must be a, o or h, not "${part}"`);
  const out: Record<string, string> = {};
  rest.forEach((value, i) => {
    const field = FIELDS[i];
    const pattern = field === 'language' ? LANGUAGE_COMPONENT : COMPONENT;
    if (!pattern.test(value)) throw new IdentifierError(`CPE ${field} "${value}" is not a valid CPE 2.3 value (unescaped special character or misplaced wildcard)`);
    out[field] = value;
  });
  if (out.vendor === '*' || out.vendor === '-' || out.product === '*' || out.product === '-') {
    throw new IdentifierError('CPE must name a vendor and a product');
  }
  return { cpe: ['cpe', '2.3', part, ...rest].join(':'), part, ...(out as Omit<Cpe23, 'cpe' | 'part'>) };
}

/** A CPE attribute value for display: backslash escapes removed, as CSAF and CVE vendor names are plain text. */
export function unescapeCpeValue(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

// Split on colons not preceded by an escaping backslash.
function splitUnescaped(s: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      current += s[i] + s[i + 1];
      i++;
    } else if (s[i] === ':') {
      out.push(current);
      current = '';
    } else current += s[i];
  }
  out.push(current);
  return out;
}

export interface ProductRef {
  purl?: string;
  cpe?: string;
  vendor?: string;
  product?: string;
}

/**
 * A stable identity of the product an affected entry names, for deduplicating findings: versions are
 * not part of it. Forms never collide with each other (purl "pkg:", CPE "cpe:", the rest "vendor:").
 */
export function productKey(affected: ProductRef): string {
  const forms = [affected.purl !== undefined, affected.cpe !== undefined, affected.vendor !== undefined || affected.product !== undefined];
  if (forms.filter(Boolean).length !== 1) throw new IdentifierError('a product must be named by exactly one of purl, cpe, or vendor and product');
  if (affected.purl !== undefined) {
    const p = normalisePurl(affected.purl);
    return new PackageURL(p.type, p.namespace, p.name, undefined, undefined, undefined).toString();
  }
  if (affected.cpe !== undefined) {
    const c = parseCpe23(affected.cpe);
    return `cpe:${c.part}:${c.vendor}:${c.product}`;
  }
  const vendor = plainName(affected.vendor, 'vendor');
  const product = plainName(affected.product, 'product');
  return `vendor:${encodeURIComponent(vendor)}:${encodeURIComponent(product)}`;
}

// NFKC first so that full-width letters and ligatures fold like their plain forms.
function plainName(value: string | undefined, field: string): string {
  const v = (value ?? '').normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  if (!v) throw new IdentifierError(`${field} must not be empty (give vendor and product together)`);
  return v;
}

/** A CWE id in its canonical form "CWE-<n>"; the prefix may come in any case. */
export function checkCwe(id: string): string {
  const m = typeof id === 'string' ? /^cwe-([1-9][0-9]{0,5})$/i.exec(id) : null;
  if (!m) throw new IdentifierError(`CWE id "${id}" must look like CWE-79`);
  return `CWE-${m[1]}`;
}

export interface VersionRange {
  introduced?: string;
  fixed?: string;
  lastAffected?: string;
}

/**
 * Check a range's shape (its versions are opaque strings: ordering them needs the ecosystem's rules).
 * fixed and lastAffected are exclusive, as in OSV: one says where it ends, the other where it ended.
 */
export function checkVersionRange(range: VersionRange): VersionRange {
  const out: VersionRange = {};
  for (const key of ['introduced', 'fixed', 'lastAffected'] as const) {
    const v = range[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !v.trim()) throw new IdentifierError(`versions.${key} must be a non-empty string`);
    out[key] = v.trim();
  }
  if (!out.introduced && !out.fixed && !out.lastAffected) throw new IdentifierError('versions must give at least one of introduced, fixed, lastAffected');
  if (out.fixed && out.lastAffected) throw new IdentifierError('versions may give fixed or lastAffected, not both');
  if (out.introduced && out.introduced === out.fixed) throw new IdentifierError('versions.fixed must differ from versions.introduced');
  return out;
}
