// OSV export (schema 1.7, libs/testing/reference/osv/schema.json).
//
// OSV describes packages in ecosystems: an ECOSYSTEM range only means something under an ecosystem's
// version rules, and an affected entry without a package is meant for GIT ranges. So only purls whose
// type maps to an OSV ecosystem go into `affected`; CPE and vendor + product products (and purls of
// other types) are listed in `database_specific.products` with their bounds, not dropped.
import { AdvisoryCase, allCredits, checkCveId, checkedCwe, productViews, ProductView, utc } from './advisory-case';
import { NormalisedPurl } from './identifiers';

export const OSV_SCHEMA_VERSION = '1.7.0';

type Event = { introduced: string } | { fixed: string } | { last_affected: string };

export interface OsvAffected {
  package: { ecosystem: string; name: string; purl: string };
  ranges: Array<{ type: 'ECOSYSTEM'; events: Event[] }>;
}

export interface OsvRecord {
  schema_version: string;
  id: string;
  modified: string;
  published: string;
  withdrawn?: string;
  aliases?: string[];
  summary: string;
  details: string;
  severity: Array<{ type: 'CVSS_V3' | 'CVSS_V4'; score: string }>;
  affected: OsvAffected[];
  references?: Array<{ type: string; url: string }>;
  credits?: Array<{ name: string; type: 'FINDER' | 'TOOL' | 'COORDINATOR' }>;
  database_specific: Record<string, unknown>;
}

// purl type → OSV ecosystem and the package name as that ecosystem writes it.
const joinSlash = (p: NormalisedPurl) => (p.namespace ? `${p.namespace}/${p.name}` : p.name);
const nameOnly = (p: NormalisedPurl) => p.name;
const ECOSYSTEMS: Record<string, { ecosystem: string; name: (p: NormalisedPurl) => string }> = {
  npm: { ecosystem: 'npm', name: joinSlash },
  pypi: { ecosystem: 'PyPI', name: nameOnly },
  maven: { ecosystem: 'Maven', name: (p) => `${p.namespace}:${p.name}` },
  golang: { ecosystem: 'Go', name: joinSlash },
  cargo: { ecosystem: 'crates.io', name: nameOnly },
  nuget: { ecosystem: 'NuGet', name: nameOnly },
  gem: { ecosystem: 'RubyGems', name: nameOnly },
  composer: { ecosystem: 'Packagist', name: joinSlash },
  hex: { ecosystem: 'Hex', name: nameOnly },
  pub: { ecosystem: 'Pub', name: nameOnly },
  cran: { ecosystem: 'CRAN', name: nameOnly },
  hackage: { ecosystem: 'Hackage', name: nameOnly },
  swift: { ecosystem: 'SwiftURL', name: joinSlash },
  conan: { ecosystem: 'ConanCenter', name: nameOnly },
  bitnami: { ecosystem: 'Bitnami', name: nameOnly },
};

/** `idPrefix`: OSV ids start with a registered database prefix; "x_" is the schema's place for unregistered ones. */
export function toOsv(c: AdvisoryCase, opts: { idPrefix?: string } = {}): OsvRecord {
  const views = productViews(c);
  const inEcosystem = views.filter((v) => v.purl && ECOSYSTEMS[v.purl.type]);
  const elsewhere = views.filter((v) => !inEcosystem.includes(v));
  const cveId = checkCveId(c);
  const cwe = checkedCwe(c);
  const credits = allCredits(c).map((cr) => ({ name: cr.name, type: cr.type.toUpperCase() as 'FINDER' | 'TOOL' | 'COORDINATOR' }));
  const provenance = { model: c.discoveredWith?.model, tool: c.discoveredWith?.tool };

  return {
    schema_version: OSV_SCHEMA_VERSION,
    id: `${opts.idPrefix ?? 'x_VANTAGE-'}${c.id}`,
    modified: utc(c.modifiedAt, 'modifiedAt'),
    published: utc(c.publishedAt, 'publishedAt'),
    ...(c.state === 'rejected' ? { withdrawn: utc(c.modifiedAt, 'modifiedAt') } : {}),
    ...(cveId ? { aliases: [cveId] } : {}),
    summary: c.title,
    details: c.description,
    severity: [{ type: c.severity.version === '4.0' ? 'CVSS_V4' : 'CVSS_V3', score: c.severity.vector }],
    affected: inEcosystem.map(osvAffected),
    ...(c.references?.length ? { references: c.references.map((r) => ({ type: (r.type ?? 'web').toUpperCase(), url: r.url })) } : {}),
    ...(credits.length ? { credits } : {}),
    database_specific: {
      case_id: c.id,
      ...(cwe ? { cwe_ids: [cwe] } : {}),
      exploited_in_wild: c.exploitedInWild,
      ...(provenance.model || provenance.tool ? { ai_provenance: provenance } : {}),
      ...(elsewhere.length ? { products: elsewhere.map(otherProduct) } : {}),
    },
  };
}

function osvAffected(v: ProductView): OsvAffected {
  const purl = v.purl as NormalisedPurl;
  const eco = ECOSYSTEMS[purl.type];
  return { package: { ecosystem: eco.ecosystem, name: eco.name(purl), purl: purl.purl }, ranges: [{ type: 'ECOSYSTEM', events: events(v) }] };
}

// OSV needs an introduced event in every range; "0" means "from the first version".
function events(v: ProductView): Event[] {
  const out: Event[] = [{ introduced: v.versions?.introduced ?? '0' }];
  if (v.versions?.fixed) out.push({ fixed: v.versions.fixed });
  if (v.versions?.lastAffected) out.push({ last_affected: v.versions.lastAffected });
  return out;
}

function otherProduct(v: ProductView): Record<string, unknown> {
  return {
    vendor: v.vendor,
    product: v.product,
    ...(v.cpe ? { cpe: v.cpe.cpe } : {}),
    ...(v.purl ? { purl: v.purl.purl } : {}),
    events: events(v),
  };
}
