// CSAF 2.0 export, profile csaf_security_advisory, checked in the spec against the OASIS schema and the
// mandatory tests (§6.1) of @secvisogram/csaf-validator-lib in strict mode.
//
// Compromises the format forces:
// - CSAF 2.0 has cvss_v2 and cvss_v3 slots only (cvss_v4 arrives with CSAF 2.1). A 4.0 vector therefore
//   goes into a vulnerability note titled "CVSS v4.0"; `scores` is left out rather than filled wrongly.
// - cwe needs the exact MITRE name (test 6.1.11 compares it with the CWE catalogue). Names come from the
//   small table in cwe-names.ts; a CWE outside it is named in a note instead, since any made-up name fails.
import { PackageURL } from 'packageurl-js';
import { AdvisoryCase, allCredits, checkCveId, checkedCwe, CreditType, productViews, ProductView, utc } from './advisory-case';
import { CWE_NAMES } from './cwe-names';

export interface CsafPublisher {
  name: string;
  /** A URL the publisher controls, its global identity in CSAF. */
  namespace: string;
  contactDetails?: string;
}

type Json = Record<string, unknown>;

const CREDIT_SUMMARY: Record<CreditType, string> = {
  finder: 'Found and reported the vulnerability',
  tool: 'AI system used to discover the vulnerability',
  coordinator: 'Coordinated the disclosure',
};

const REFERENCE_SUMMARY: Record<string, string> = {
  advisory: 'Advisory', article: 'Article', report: 'Report', fix: 'Fix', package: 'Package', evidence: 'Evidence', web: 'Reference',
};

export function toCsaf(c: AdvisoryCase, publisher: CsafPublisher): Json {
  const views = productViews(c);
  const cveId = checkCveId(c);
  const disclosed = c.state === 'disclosed';
  const tree = new ProductTree();
  const affectedIds: string[] = [];
  const fixedIds: string[] = [];
  const remediations: Json[] = [];
  for (const v of views) {
    const range = tree.add(v, 'product_version_range', vers(v), identify(v));
    affectedIds.push(range);
    if (v.versions?.fixed) {
      fixedIds.push(tree.add(v, 'product_version', v.versions.fixed, identify(v, v.versions.fixed)));
      remediations.push({ category: 'vendor_fix', details: `Update ${v.product} to version ${v.versions.fixed} or later.`, product_ids: [range] });
    } else if (v.versions?.lastAffected) {
      remediations.push({ category: 'vendor_fix', details: `Update ${v.product} to a version later than ${v.versions.lastAffected}.`, product_ids: [range] });
    } else {
      remediations.push({ category: 'none_available', details: `No fixed version of ${v.product} is known.`, product_ids: [range] });
    }
  }

  const published = utc(c.publishedAt, 'publishedAt');
  const modified = utc(c.modifiedAt, 'modifiedAt');
  // Undisclosed cases are drafts (version 0); a disclosed one is version 1, or 2 once modified after release.
  const revisions = !disclosed
    ? [{ date: modified, number: '0', summary: 'Draft under embargo' }]
    : [{ date: published, number: '1', summary: 'Initial public release' }, ...(modified > published ? [{ date: modified, number: '2', summary: 'Updated' }] : [])];

  const credits = allCredits(c);
  const cwe = checkedCwe(c);
  const cweName = cwe ? CWE_NAMES[cwe] : undefined;
  const notes: Json[] = [{ category: 'description', title: 'Description', text: c.description }];
  if (c.severity.version === '4.0') {
    notes.push({ category: 'other', title: 'CVSS v4.0', text: `${c.severity.vector} (${c.severity.baseScore} ${c.severity.baseSeverity})` });
  }
  if (cwe && !cweName) notes.push({ category: 'other', title: 'Weakness', text: cwe });

  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: 'en',
      title: c.title,
      publisher: {
        category: 'coordinator', name: publisher.name, namespace: publisher.namespace,
        ...(publisher.contactDetails ? { contact_details: publisher.contactDetails } : {}),
      },
      aggregate_severity: { text: c.severity.baseSeverity },
      distribution: { tlp: { label: disclosed ? 'WHITE' : 'AMBER', url: 'https://www.first.org/tlp/' } },
      notes: [{ category: 'summary', title: 'Summary', text: c.description }, ...provenanceNote(credits)],
      ...(credits.length ? { acknowledgments: credits.map((cr) => ({ names: [cr.name], summary: CREDIT_SUMMARY[cr.type] })) } : {}),
      ...(c.references?.length ? { references: c.references.map((r) => ({ category: 'external', summary: REFERENCE_SUMMARY[r.type ?? 'web'], url: r.url })) } : {}),
      tracking: {
        id: c.id,
        status: disclosed ? 'final' : 'draft',
        version: revisions[revisions.length - 1].number,
        initial_release_date: published,
        current_release_date: modified,
        revision_history: revisions,
        generator: { engine: { name: 'Vantage clearinghouse' } },
      },
    },
    product_tree: { branches: tree.branches() },
    vulnerabilities: [
      {
        ...(cveId ? { cve: cveId } : {}),
        ids: [{ system_name: `${publisher.name} case`, text: c.id }],
        title: c.title,
        ...(cwe && cweName ? { cwe: { id: cwe, name: cweName } } : {}),
        notes,
        ...(disclosed ? { release_date: published } : {}),
        product_status: { known_affected: affectedIds, ...(fixedIds.length ? { fixed: fixedIds } : {}) },
        remediations,
        ...(c.severity.version === '3.1'
          ? { scores: [{ products: affectedIds, cvss_v3: { version: '3.1', vectorString: c.severity.vector, baseScore: c.severity.baseScore, baseSeverity: c.severity.baseSeverity } }] }
          : {}),
        ...(c.exploitedInWild ? { threats: [{ category: 'exploit_status', details: 'Exploited in the wild.', product_ids: affectedIds }] } : {}),
      },
    ],
  };
}

function provenanceNote(credits: Array<{ name: string; type: CreditType }>): Json[] {
  const tools = credits.filter((cr) => cr.type === 'tool').map((cr) => cr.name);
  return tools.length ? [{ category: 'general', title: 'AI provenance', text: `Discovered with the assistance of an AI system: ${tools.join(', ')}.` }] : [];
}

// A version range in vers notation (CSAF 2.0 §3.1.2.3.2 recommends vers for product_version_range).
function vers(v: ProductView): string {
  const scheme = v.purl?.type ?? 'generic';
  const r = v.versions;
  const constraints = [
    r?.introduced && `>=${versEscape(r.introduced)}`,
    r?.fixed && `<${versEscape(r.fixed)}`,
    r?.lastAffected && `<=${versEscape(r.lastAffected)}`,
  ].filter(Boolean);
  return `vers:${scheme}/${constraints.length ? constraints.join('|') : '*'}`;
}

function versEscape(version: string): string {
  return version.replace(/[%|<>=!*,\s]/g, (ch) => encodeURIComponent(ch));
}

// The identification helper for the range (unversioned) or for one version of it.
function identify(v: ProductView, version?: string): Json | undefined {
  if (v.purl) {
    const p = PackageURL.fromString(v.purl.purl);
    return { purl: new PackageURL(p.type, p.namespace, p.name, version, p.qualifiers, p.subpath).toString() };
  }
  if (v.cpe) {
    const c = v.cpe;
    // A literal version in the CPE binding escapes everything but letters, digits and . - _ (NISTIR 7695 §6.2).
    const ver = version ? version.toLowerCase().replace(/[^a-z0-9._-]/g, (ch) => `\\${ch}`) : c.version;
    return { cpe: ['cpe:2.3', c.part, c.vendor, c.product, ver, c.update, c.edition, c.language, c.swEdition, c.targetSw, c.targetHw, c.other].join(':') };
  }
  return undefined;
}

// vendor → product_name → version / range, merging products of the same vendor and name.
class ProductTree {
  private readonly vendors = new Map<string, Map<string, Json[]>>();
  private count = 0;

  add(v: ProductView, category: 'product_version' | 'product_version_range', name: string, helper: Json | undefined): string {
    const productId = `CSAFPID-${String(++this.count).padStart(4, '0')}`;
    const products = this.vendors.get(v.vendor) ?? new Map<string, Json[]>();
    this.vendors.set(v.vendor, products);
    const leaves = products.get(v.product) ?? [];
    products.set(v.product, leaves);
    leaves.push({ category, name, product: { name: `${v.vendor} ${v.product} ${name}`, product_id: productId, ...(helper ? { product_identification_helper: helper } : {}) } });
    return productId;
  }

  branches(): Json[] {
    return [...this.vendors].map(([vendor, products]) => ({
      category: 'vendor',
      name: vendor,
      branches: [...products].map(([product, leaves]) => ({ category: 'product_name', name: product, branches: leaves })),
    }));
  }
}
