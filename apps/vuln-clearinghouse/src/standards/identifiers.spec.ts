import { checkCwe, checkVersionRange, IdentifierError, normalisePurl, parseCpe23, productKey, unescapeCpeValue } from './identifiers';

describe('normalisePurl', () => {
  it('drops the version and applies the type rules', () => {
    expect(normalisePurl('pkg:npm/%40Scope/LibFoo@1.2.0')).toEqual({ purl: 'pkg:npm/%40scope/libfoo', type: 'npm', namespace: '@scope', name: 'libfoo', version: '1.2.0' });
    expect(normalisePurl('pkg:npm/libfoo')).toEqual({ purl: 'pkg:npm/libfoo', type: 'npm', name: 'libfoo' });
    expect(normalisePurl('pkg:pypi/Django_Rest@1.0').purl).toBe('pkg:pypi/django-rest');
    expect(normalisePurl('pkg:NPM/LibFoo').purl).toBe('pkg:npm/libfoo');
  });

  it('keeps case where the type says names are case-sensitive', () => {
    expect(normalisePurl('pkg:maven/org.Apache/Commons@1.0').purl).toBe('pkg:maven/org.Apache/Commons');
    expect(normalisePurl('pkg:golang/github.com/Foo/Bar@v1.0.0')).toMatchObject({ namespace: 'github.com/Foo', name: 'Bar' });
  });

  it('keeps qualifiers and subpath, which are part of the identity', () => {
    expect(normalisePurl('pkg:npm/foo@1?arch=x86#lib/sub').purl).toBe('pkg:npm/foo?arch=x86#lib/sub');
  });

  it.each([
    ['not-a-purl', /"pkg" scheme/],
    ['pkg:npm/', /"name" is a required component/],
    ['pkg:maven/commons', /maven requires a "namespace"/],
  ])('refuses %s', (purl, message) => {
    expect(() => normalisePurl(purl)).toThrow(IdentifierError);
    expect(() => normalisePurl(purl)).toThrow(message);
  });
});

describe('parseCpe23', () => {
  it('splits the thirteen components and lower-cases them', () => {
    expect(parseCpe23('cpe:2.3:a:Acme:Widget:*:*:*:*:*:*:*:*')).toEqual({
      cpe: 'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*', part: 'a', vendor: 'acme', product: 'widget', version: '*', update: '*',
      edition: '*', language: '*', swEdition: '*', targetSw: '*', targetHw: '*', other: '*',
    });
  });

  it('accepts escaped special characters, NA, languages and edge wildcards', () => {
    const c = parseCpe23(String.raw`cpe:2.3:o:micro\:soft:windows_10:1.0\!:-:*:en-us:*:*:x64:*`);
    expect(c).toMatchObject({ part: 'o', vendor: String.raw`micro\:soft`, product: 'windows_10', version: String.raw`1.0\!`, update: '-', language: 'en-us', targetHw: 'x64' });
    expect(unescapeCpeValue(c.vendor)).toBe('micro:soft');
    expect(parseCpe23('cpe:2.3:h:acme:router:2.*:*:*:*:*:*:*:*').version).toBe('2.*');
    // The binding's regular expression (also in the CSAF and CVE schemas) leaves . - _ unescaped only.
    expect(() => parseCpe23(String.raw`cpe:2.3:a:acme:widget:1\.0:*:*:*:*:*:*:*`)).toThrow(/version/);
  });

  it.each([
    ['cpe:/a:acme:widget:1.0', /starting "cpe:2.3:"/],
    ['cpe:2.3:a:acme:widget:*:*:*:*:*:*:*', /13 colon-separated components, got 12/],
    ['cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*:*', /got 14/],
    ['cpe:2.3:x:acme:widget:*:*:*:*:*:*:*:*', /part must be a, o or h/],
    ['cpe:2.3:a:acme:wid get:*:*:*:*:*:*:*:*', /product "wid get"/],
    ['cpe:2.3:a:acme:wid*get:*:*:*:*:*:*:*:*', /misplaced wildcard/],
    ['cpe:2.3:a:acme:widget:1!0:*:*:*:*:*:*:*', /version "1!0"/],
    ['cpe:2.3:a:acme:widget:*:*:*:english:*:*:*:*', /language "english"/],
    ['cpe:2.3:a:*:widget:*:*:*:*:*:*:*:*', /must name a vendor and a product/],
  ])('refuses %s', (cpe, message) => {
    expect(() => parseCpe23(cpe)).toThrow(IdentifierError);
    expect(() => parseCpe23(cpe)).toThrow(message);
  });
});

describe('productKey', () => {
  it('identifies a purl product by type, namespace and name only', () => {
    expect(productKey({ purl: 'pkg:npm/LibFoo@1.2.0?arch=x86' })).toBe('pkg:npm/libfoo');
    expect(productKey({ purl: 'pkg:npm/libfoo' })).toBe(productKey({ purl: 'pkg:NPM/LIBFOO@9' }));
  });

  it('identifies a CPE product by part, vendor and product', () => {
    expect(productKey({ cpe: 'cpe:2.3:a:ACME:Widget:2.0:*:*:*:*:*:*:*' })).toBe('cpe:a:acme:widget');
  });

  it('folds case, spacing and compatibility characters in vendor and product names', () => {
    const key = productKey({ vendor: '  Acme ', product: 'Gadget\t  OS' });
    expect(key).toBe('vendor:acme:gadget%20os');
    expect(productKey({ vendor: 'ＡＣＭＥ', product: 'gadget os' })).toBe(key);
    expect(productKey({ vendor: 'a:b', product: 'c' })).not.toBe(productKey({ vendor: 'a', product: 'b:c' }));
  });

  it.each([
    [{}, /exactly one of/],
    [{ purl: 'pkg:npm/a', cpe: 'cpe:2.3:a:b:c:*:*:*:*:*:*:*:*' }, /exactly one of/],
    [{ vendor: 'Acme' }, /product must not be empty/],
    [{ vendor: ' ', product: 'x' }, /vendor must not be empty/],
    [{ purl: 'nope' }, /purl/],
  ])('refuses %j', (ref, message) => {
    expect(() => productKey(ref)).toThrow(IdentifierError);
    expect(() => productKey(ref)).toThrow(message);
  });
});

describe('checkCwe', () => {
  it('normalises the prefix', () => {
    expect(checkCwe('CWE-122')).toBe('CWE-122');
    expect(checkCwe('cwe-79')).toBe('CWE-79');
  });

  it.each(['CWE-', 'CWE-0', 'CWE-079', '79', 'CWE 79', 'CWE-79a', ' CWE-79', 'CWE-1234567', 'NVD-CWE-Other'])('refuses %s', (id) => {
    expect(() => checkCwe(id)).toThrow(IdentifierError);
    expect(() => checkCwe(id)).toThrow(/must look like CWE-79/);
  });
});

describe('checkVersionRange', () => {
  it('accepts any non-empty combination but fixed with lastAffected', () => {
    expect(checkVersionRange({ introduced: '1.2.0', fixed: '1.4.1' })).toEqual({ introduced: '1.2.0', fixed: '1.4.1' });
    expect(checkVersionRange({ lastAffected: ' 2.0 ' })).toEqual({ lastAffected: '2.0' });
    expect(checkVersionRange({ introduced: '1.0' })).toEqual({ introduced: '1.0' });
  });

  it.each([
    [{}, /at least one of/],
    [{ fixed: '2', lastAffected: '1' }, /fixed or lastAffected, not both/],
    [{ introduced: '' }, /introduced must be a non-empty string/],
    [{ introduced: '1.0', fixed: '1.0' }, /must differ/],
  ])('refuses %j', (range, message) => {
    expect(() => checkVersionRange(range)).toThrow(IdentifierError);
    expect(() => checkVersionRange(range)).toThrow(message);
  });
});
