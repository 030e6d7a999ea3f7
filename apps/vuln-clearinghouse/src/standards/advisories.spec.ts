import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { AdvisoryCase, AdvisoryError, CWE_NAMES, toCsaf, toCveRecord, toOsv } from './advisories';
import { scoreCvss } from './cvss';
import { readReferenceJson } from '@vantage/testing';

const readJson = readReferenceJson;

const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const TOOL_CREDIT = 'acme-frontier-2026-12 (fuzz-harness)';

function aCase(vector: string, overrides: Partial<AdvisoryCase> = {}): AdvisoryCase {
  return {
    id: '0b6f3c5e-8f5e-4f4a-9d8e-2f1d3c4b5a69',
    cveId: 'CVE-2026-12345',
    title: 'Heap overflow in libfoo parse_header',
    description: 'parse_header copies a length-prefixed field into a fixed heap buffer without checking the length.',
    cwe: 'CWE-122',
    severity: scoreCvss(vector),
    affected: [
      { purl: 'pkg:npm/libfoo', versions: { introduced: '1.2.0', fixed: '1.4.1' } },
      { cpe: 'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*', versions: { lastAffected: '2.0' } },
      { vendor: 'Acme', product: 'Gadget OS' },
    ],
    credits: [
      { name: 'Jane Finder', type: 'finder' },
      { name: 'Vantage Clearinghouse', type: 'coordinator' },
    ],
    discoveredWith: { model: 'acme-frontier-2026-12', submissionId: '5d2c1b0a-1111-4222-8333-944455556666', tool: 'fuzz-harness' },
    publishedAt: '2026-03-01T12:00:00Z',
    modifiedAt: '2026-03-02T08:30:00.000Z',
    state: 'disclosed',
    references: [
      { url: 'https://libfoo.example.org/security/2026-1', type: 'advisory' },
      { url: 'https://github.com/libfoo/libfoo/commit/0123456789abcdef0123456789abcdef01234567', type: 'fix' },
    ],
    exploitedInWild: true,
    ...overrides,
  };
}
const VARIANTS: Array<[string, string]> = [['CVSS 4.0', V40], ['CVSS 3.1', V31]];

describe('toOsv', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(readJson('osv', 'schema.json'));

  it.each(VARIANTS)('is valid against the OSV reference schema (%s)', (_name, vector) => {
    const osv = toOsv(aCase(vector));
    expect(validate(osv) ? [] : validate.errors).toEqual([]);
    expect(osv.severity).toEqual([{ type: vector.startsWith('CVSS:4.0') ? 'CVSS_V4' : 'CVSS_V3', score: vector }]);
  });

  it('puts the npm package in affected with an ECOSYSTEM range, the others in database_specific', () => {
    const osv = toOsv(aCase(V40));
    expect(osv.affected).toEqual([
      {
        package: { ecosystem: 'npm', name: 'libfoo', purl: 'pkg:npm/libfoo' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.2.0' }, { fixed: '1.4.1' }] }],
      },
    ]);
    expect(osv.database_specific.products).toEqual([
      { vendor: 'acme', product: 'widget', cpe: 'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*', events: [{ introduced: '0' }, { last_affected: '2.0' }] },
      { vendor: 'Acme', product: 'Gadget OS', events: [{ introduced: '0' }] },
    ]);
  });

  it('credits the AI tool, keeps provenance without the internal submission id, and carries the CWE', () => {
    const osv = toOsv(aCase(V40));
    expect(osv.credits).toEqual([
      { name: 'Jane Finder', type: 'FINDER' },
      { name: 'Vantage Clearinghouse', type: 'COORDINATOR' },
      { name: TOOL_CREDIT, type: 'TOOL' },
    ]);
    expect(osv.database_specific).toMatchObject({ cwe_ids: ['CWE-122'], exploited_in_wild: true, ai_provenance: { model: 'acme-frontier-2026-12', tool: 'fuzz-harness' } });
    expect(JSON.stringify(osv)).not.toContain('5d2c1b0a');
    expect(osv).toMatchObject({ id: 'x_VANTAGE-0b6f3c5e-8f5e-4f4a-9d8e-2f1d3c4b5a69', aliases: ['CVE-2026-12345'], published: '2026-03-01T12:00:00.000Z' });
  });

  it('fails a record the schema forbids (negative control)', () => {
    expect(validate({ ...toOsv(aCase(V31)), id: 'VANTAGE-1' })).toBe(false);
    expect(validate({ ...toOsv(aCase(V31)), severity: [{ type: 'CVSS_V4', score: V31 }] })).toBe(false);
  });

  it('marks a rejected case withdrawn', () => {
    const osv = toOsv(aCase(V31, { state: 'rejected' }));
    expect(osv.withdrawn).toBe('2026-03-02T08:30:00.000Z');
    expect(validate(osv)).toBe(true);
  });
});

describe('toCsaf', () => {
  const publisher = { name: 'Vantage Clearinghouse', namespace: 'https://vantage.example.org' };

  // The strict validator runs in a child process (see csaf-validator.testing.mjs); one call for all documents.
  function validateAll(documents: unknown[], cweIds: string[] = []) {
    const run = spawnSync(process.execPath, [join(__dirname, 'csaf-validator.testing.mjs')], {
      input: JSON.stringify({ documents, cweIds }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`CSAF validator failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as {
      results: Array<{ isValid: boolean; tests: Array<{ name: string; isValid: boolean; errors: unknown[] }> }>;
      testCount: number;
      cweNames: Record<string, string | null>;
    };
  }
  const failures = (r: { tests: Array<{ name: string; isValid: boolean; errors: unknown[] }> }) =>
    r.tests.filter((t) => !t.isValid || t.errors.length).map((t) => ({ test: t.name, errors: t.errors }));

  const documents = {
    'the bundled BSI example': readJson('csaf', 'example-bsi-2022-0001.json'),
    'a CVSS 4.0 case': toCsaf(aCase(V40), publisher),
    'a CVSS 3.1 case': toCsaf(aCase(V31), publisher),
    'an undisclosed draft with an unlisted CWE and no CVE id': toCsaf(aCase(V31, { state: 'vendor-notified', cwe: 'CWE-1004', cveId: undefined, exploitedInWild: false }), publisher),
    'a disclosed case never modified, without references': toCsaf(aCase(V40, { modifiedAt: '2026-03-01T12:00:00Z', references: undefined }), publisher),
  };
  // A negative control: a made-up CWE name must fail test 6.1.11, or the setup proves nothing.
  const unknownWeakness = toCsaf(aCase(V31), publisher) as any;
  unknownWeakness.vulnerabilities[0].cwe.name = 'Unknown weakness';

  let validated: ReturnType<typeof validateAll>;
  let results: Record<string, ReturnType<typeof validateAll>['results'][number]>;
  beforeAll(() => {
    validated = validateAll([...Object.values(documents), unknownWeakness], Object.keys(CWE_NAMES));
    results = Object.fromEntries(Object.keys(documents).map((name, i) => [name, validated.results[i]]));
  }, 60_000);

  it('runs the strict schema and all mandatory tests', () => expect(validated.testCount).toBeGreaterThanOrEqual(44));

  it.each(Object.keys(documents))('%s passes the strict schema and every mandatory test', (name) => {
    expect(failures(results[name])).toEqual([]);
    expect(results[name].isValid).toBe(true);
  });

  it.each(Object.keys(documents))('%s is valid against the OASIS reference schema', (name) => {
    // The reference README: register FIRST's CVSS schemas under their URLs, no network. They declare
    // draft-04/07, which Ajv2020 does not load; their keywords mean the same in 2020-12, so the
    // declaration and their own ids are dropped (as csaf-validator-lib's bundled copies do).
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const v of ['2.0', '3.0', '3.1']) {
      const { $schema: _draft, id: _id, $id: _ownId, ...schema } = readJson('csaf', `cvss-v${v}.json`);
      ajv.addSchema(schema, `https://www.first.org/cvss/cvss-v${v}.json`);
    }
    const validate = ajv.compile(readJson('csaf', 'csaf_json_schema.json'));
    expect(validate(documents[name as keyof typeof documents]) ? [] : validate.errors).toEqual([]);
  });

  it('fails a document whose CWE name is not the catalogue name (so "Unknown weakness" is no fallback)', () => {
    const negative = validated.results[Object.keys(documents).length];
    expect(negative.isValid).toBe(false);
    expect(failures(negative).map((f) => f.test)).toEqual(['mandatoryTest_6_1_11']);
  });

  it('names every CWE in the built-in table exactly as the validator catalogue does', () => {
    const wrong = Object.entries(CWE_NAMES).filter(([id, name]) => validated.cweNames[id] !== name);
    expect(wrong).toEqual([]);
  });

  it('builds vendor → product → range / fixed version branches with purl and CPE helpers', () => {
    const doc = documents['a CVSS 3.1 case'] as any;
    const leaves = doc.product_tree.branches.flatMap((v: any) => v.branches.flatMap((p: any) => p.branches.map((l: any) => [v.name, p.name, l.category, l.name, l.product.product_identification_helper])));
    expect(leaves).toEqual([
      ['libfoo', 'libfoo', 'product_version_range', 'vers:npm/>=1.2.0|<1.4.1', { purl: 'pkg:npm/libfoo' }],
      ['libfoo', 'libfoo', 'product_version', '1.4.1', { purl: 'pkg:npm/libfoo@1.4.1' }],
      ['acme', 'widget', 'product_version_range', 'vers:generic/<=2.0', { cpe: 'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*' }],
      ['Acme', 'Gadget OS', 'product_version_range', 'vers:generic/*', undefined],
    ]);
    const vuln = doc.vulnerabilities[0];
    expect(vuln.product_status).toEqual({ known_affected: ['CSAFPID-0001', 'CSAFPID-0003', 'CSAFPID-0004'], fixed: ['CSAFPID-0002'] });
    expect(vuln.remediations.map((r: any) => r.category)).toEqual(['vendor_fix', 'vendor_fix', 'none_available']);
    expect(vuln.scores[0].cvss_v3).toEqual({ version: '3.1', vectorString: V31, baseScore: 9.8, baseSeverity: 'CRITICAL' });
    expect(vuln.cwe).toEqual({ id: 'CWE-122', name: 'Heap-based Buffer Overflow' });
    expect(vuln.threats).toEqual([{ category: 'exploit_status', details: 'Exploited in the wild.', product_ids: vuln.product_status.known_affected }]);
  });

  it('carries a CVSS 4.0 vector in a note, since CSAF 2.0 has no cvss_v4 score', () => {
    const vuln = (documents['a CVSS 4.0 case'] as any).vulnerabilities[0];
    expect(vuln.scores).toBeUndefined();
    expect(vuln.notes).toContainEqual({ category: 'other', title: 'CVSS v4.0', text: `${V40} (9.3 CRITICAL)` });
  });

  it.each(['a CVSS 4.0 case', 'a CVSS 3.1 case'])('acknowledges the finder and the AI tool (%s)', (name) => {
    const doc = documents[name as keyof typeof documents] as any;
    expect(doc.document.acknowledgments).toContainEqual({ names: ['Jane Finder'], summary: 'Found and reported the vulnerability' });
    expect(doc.document.acknowledgments).toContainEqual({ names: [TOOL_CREDIT], summary: 'AI system used to discover the vulnerability' });
    expect(doc.document.notes).toContainEqual(expect.objectContaining({ title: 'AI provenance', text: expect.stringContaining(TOOL_CREDIT) }));
  });

  it('tracks a disclosed, modified case as final version 2 and an undisclosed one as draft version 0', () => {
    expect((documents['a CVSS 3.1 case'] as any).document.tracking).toMatchObject({ status: 'final', version: '2' });
    expect((documents['a disclosed case never modified, without references'] as any).document.tracking).toMatchObject({ status: 'final', version: '1' });
    const draft = documents['an undisclosed draft with an unlisted CWE and no CVE id'] as any;
    expect(draft.document.tracking).toMatchObject({ status: 'draft', version: '0' });
    expect(draft.document.distribution.tlp.label).toBe('AMBER');
    expect(draft.vulnerabilities[0].cwe).toBeUndefined();
    expect(draft.vulnerabilities[0].notes).toContainEqual({ category: 'other', title: 'Weakness', text: 'CWE-1004' });
  });
});

describe('toCveRecord', () => {
  const cna = { orgId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', shortName: 'vantage', advisoryUrl: 'https://vantage.example.org/v1/cases/0b6f3c5e-8f5e-4f4a-9d8e-2f1d3c4b5a69/advisory?format=csaf' };
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  // The CVE JSON 5.1 schema's requirements for a published record's CNA container, asserted by hand.
  it.each(VARIANTS)('has the fields CVE JSON 5.1 requires (%s)', (_name, vector) => {
    const record = toCveRecord(aCase(vector), cna) as any;
    expect(record).toMatchObject({ dataType: 'CVE_RECORD', dataVersion: '5.1' });
    expect(record.cveMetadata).toMatchObject({ cveId: 'CVE-2026-12345', assignerOrgId: cna.orgId, state: 'PUBLISHED' });
    expect(record.cveMetadata.cveId).toMatch(/^CVE-[0-9]{4}-[0-9]{4,19}$/);
    const c = record.containers.cna;
    expect(Object.keys(record.containers)).toEqual(['cna']);
    expect(c.providerMetadata.orgId).toMatch(uuid);
    expect(c.providerMetadata.dateUpdated).toMatch(rfc3339);
    expect(c.datePublic).toMatch(rfc3339);
    expect(c.title.length).toBeLessThanOrEqual(256);
    expect(c.descriptions).toEqual([{ lang: 'en', value: expect.any(String) }]);
    expect(c.descriptions[0].value.length).toBeGreaterThan(0);
    expect(c.references.length).toBeGreaterThanOrEqual(1);
    for (const r of c.references) expect(r.url).toMatch(/^https:\/\//);

    expect(c.affected).toHaveLength(3);
    for (const a of c.affected) {
      // anyOf [vendor, product] / [collectionURL, packageName]; anyOf versions / defaultStatus.
      expect((a.vendor && a.product) || (a.collectionURL && a.packageName)).toBeTruthy();
      expect(a.versions !== undefined || a.defaultStatus !== undefined).toBe(true);
      for (const v of a.versions ?? []) {
        expect(['affected', 'unaffected', 'unknown']).toContain(v.status);
        expect(typeof v.version).toBe('string');
        if (v.lessThan !== undefined || v.lessThanOrEqual !== undefined) expect(typeof v.versionType).toBe('string');
      }
    }
    expect(c.affected[0]).toEqual({
      vendor: 'libfoo', product: 'libfoo', collectionURL: 'https://www.npmjs.com', packageName: 'libfoo',
      versions: [{ version: '1.2.0', status: 'affected', versionType: 'semver', lessThan: '1.4.1' }], defaultStatus: 'unaffected',
    });
    expect(c.affected[1]).toEqual({
      vendor: 'acme', product: 'widget', cpes: ['cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*'],
      versions: [{ version: '0', status: 'affected', versionType: 'custom', lessThanOrEqual: '2.0' }], defaultStatus: 'unaffected',
    });
    expect(c.affected[2]).toEqual({ vendor: 'Acme', product: 'Gadget OS', defaultStatus: 'affected' });

    expect(c.problemTypes).toEqual([{ descriptions: [{ lang: 'en', type: 'CWE', cweId: 'CWE-122', description: 'CWE-122 Heap-based Buffer Overflow' }] }]);
    const key = vector.startsWith('CVSS:4.0') ? 'cvssV4_0' : 'cvssV3_1';
    expect(c.metrics).toHaveLength(1);
    expect(c.metrics[0][key]).toEqual({
      version: vector.startsWith('CVSS:4.0') ? '4.0' : '3.1', vectorString: vector,
      baseScore: vector.startsWith('CVSS:4.0') ? 9.3 : 9.8, baseSeverity: 'CRITICAL',
    });
    for (const cr of c.credits) {
      expect(cr.lang).toBe('en');
      expect(['finder', 'reporter', 'analyst', 'coordinator', 'remediation developer', 'remediation reviewer', 'remediation verifier', 'tool', 'sponsor', 'other']).toContain(cr.type);
    }
    expect(c.credits).toContainEqual({ lang: 'en', value: TOOL_CREDIT, type: 'tool' });
  });

  it('needs a reference, and refuses a malformed CVE id', () => {
    expect(() => toCveRecord(aCase(V31, { references: [] }), { orgId: cna.orgId, shortName: 'vantage' })).toThrow(AdvisoryError);
    expect(() => toCveRecord(aCase(V31, { cveId: 'CVE-26-1' }), cna)).toThrow(/not a CVE id/);
    expect((toCveRecord(aCase(V31, { cveId: undefined }), cna) as any).cveMetadata.cveId).toBeUndefined();
  });
});

describe('advisory input checks', () => {
  it('refuses a case without products or with a malformed one, naming it', () => {
    expect(() => toOsv(aCase(V31, { affected: [] }))).toThrow(/at least one affected product/);
    expect(() => toOsv(aCase(V31, { affected: [{ cpe: 'cpe:2.3:x:a:b:*:*:*:*:*:*:*:*' }] }))).toThrow(/affected\[0\]: CPE part/);
    expect(() => toOsv(aCase(V31, { modifiedAt: 'yesterday' }))).toThrow(/modifiedAt is not a timestamp/);
  });

  it('does not add the AI tool credit twice when the case already lists it', () => {
    const osv = toOsv(aCase(V31, { credits: [{ name: TOOL_CREDIT, type: 'tool' }] }));
    expect(osv.credits).toEqual([{ name: TOOL_CREDIT, type: 'TOOL' }]);
  });
});
