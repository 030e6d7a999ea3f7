// The gateway's public routes as its live OpenAPI document describes them, and fast-check arbitraries built
// from that document: a route added to the gateway is fuzzed and must appear in the tenancy matrix without
// anyone editing these tests.
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';

type Json = any;

export interface QueryParam {
  name: string;
  schema: Json;
}

export interface Route {
  method: string;
  /** The path template, e.g. `/v1/submissions/{id}`. */
  path: string;
  /** `GET /v1/submissions/{id}`: the route's name in the matrix and in failures. */
  key: string;
  /** Roles the summary documents ("Roles: lab, operator."), if it does. */
  roles?: string[];
  /** Whether the route asks for an API key. */
  secured: boolean;
  pathParams: string[];
  query: QueryParam[];
  headers: string[];
  /** The request body's schema with every $ref resolved; absent when the route takes no body. */
  body?: Json;
}

export async function loadDocument(baseUrl: string): Promise<Json> {
  const res = await fetch(`${baseUrl}/openapi.json`);
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
  return res.json();
}

export async function loadRoutes(baseUrl: string): Promise<Route[]> {
  const doc = await loadDocument(baseUrl);
  const routes: Route[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const params: Json[] = op.parameters ?? [];
      const summary: string = op.summary ?? '';
      const roles = /Roles: ([a-z, ]+)/.exec(summary)?.[1].split(',').map((r) => r.trim()).filter(Boolean);
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      routes.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        roles,
        secured: Array.isArray(op.security) ? op.security.length > 0 : Array.isArray(doc.security) && doc.security.length > 0,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(doc, p.schema ?? {}) })),
        headers: [...new Set(params.filter((p) => p.in === 'header').map((p) => String(p.name).toLowerCase()))],
        body: bodySchema ? resolve(doc, bodySchema) : undefined,
      });
    }
  }
  return routes;
}

/**
 * Checks real answers against what the document promises for them: the status is documented for the route, the media
 * type is one it documents, and a JSON body matches its schema, with no field the schema does not name (a schema
 * that means to stay open says so with additionalProperties). A field the server adds, drops or retypes fails here.
 */
export class DocumentedAnswers {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Json) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi.json', components: { schemas: closed(structuredClone(doc.components?.schemas ?? {})) } });
  }

  /** What is wrong with this answer to `METHOD /path/{template}`, if anything. */
  problems(route: string, answer: { status: number; contentType: string; body: unknown; text: string }): string[] {
    const [method, template] = route.split(' ');
    const responses = this.doc.paths?.[template]?.[method.toLowerCase()]?.responses;
    if (!responses) return [`${route} is not in the document`];
    const response = responses[String(answer.status)];
    if (!response) return [`${answer.status} is not a documented answer of ${route} (${Object.keys(responses).join(', ')})`];
    const content: Record<string, Json> = response.content ?? {};
    if (!Object.keys(content).length) return answer.text ? [`${answer.status} documents no body, yet one came`] : [];
    const mediaType = answer.contentType.split(';')[0].trim().toLowerCase();
    const media = content[mediaType];
    if (!media) return [`${answer.status} came as ${mediaType || 'no content type'}, documented as ${Object.keys(content).join(', ')}`];
    if (!/json$/.test(mediaType) || !media.schema) return [];
    const key = `${route} ${answer.status} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebased(closed(structuredClone(media.schema))));
      this.compiled.set(key, validate);
    }
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).map((e) => `${answer.status} body${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`);
  }
}

/** Every object schema that names its properties and says nothing of others is closed to others. */
function closed(schema: Json): Json {
  if (!schema || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map(closed);
  for (const [k, v] of Object.entries(schema)) if (k !== 'example' && k !== 'examples') schema[k] = closed(v);
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  return schema;
}

/** `#/components/schemas/X` → `openapi.json#/components/schemas/X`, for a schema compiled on its own. */
function rebased(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"openapi.json#/'));
}

function resolve(doc: Json, schema: Json, depth = 0): Json {
  if (depth > 12 || !schema || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map((s) => resolve(doc, s, depth + 1));
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce((o: Json, k: string) => o?.[k], doc);
    return resolve(doc, target ?? {}, depth + 1);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return resolve(doc, { ...schema.allOf[0], ...schema, allOf: undefined }, depth + 1);
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'example' ? v : resolve(doc, v, depth + 1);
  return out;
}

/** Fills a path template; each value is percent-encoded unless `raw`. */
export function fillPath(template: string, values: Record<string, string>, raw = false): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => (raw ? values[name] : encodeURIComponent(values[name])));
}

const SAMPLE_STRINGS: Record<string, string[]> = {
  url: ['http://127.0.0.1:9/hook', 'https://example.com/hook', 'http://10.0.0.1/x', 'file:///etc/passwd', 'javascript:alert(1)'],
  baseUrl: ['https://api.acme.example/v1', 'http://127.0.0.1:1/v1', 'ftp://x.example', 'http://169.254.169.254/latest'],
  contactUrl: ['https://vendor.example/security', 'mailto:psirt@vendor.example', 'mailto:nobody'],
  cvssVector: [
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    'CVSS:3.1/AV:N', 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P', 'CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  ],
  types: ['gov.vantage.window.*', '*', 'gov.vantage.intake.submission.received.v1', 'gov.vantage.nope.*', 'a*b'],
  purl: ['pkg:npm/libfoo', 'pkg:npm/libfoo@1.2.3', 'pkg:', 'pkg:npm/%', 'not a purl'],
  purlPrefixes: ['pkg:npm/libfoo', 'pkg:pypi/x', 'short'],
  cpe: ['cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*', 'cpe:/a:x', 'cpe'],
  cwe: ['CWE-79', 'CWE-0', 'CWE-99999999', 'cwe-79', 'XSS'],
  scorer: ['exact', 'numeric', 'choice', 'nope'],
};

/** Times around the test clock (2026-11-26): past, near future, far future, and odd but legal shapes. */
const dateTime = fc.oneof(
  fc.date({ min: new Date('2026-10-01T00:00:00Z'), max: new Date('2027-03-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-12-20T00:00:00Z', '2026-12-20T00:00:00+14:00', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30T00:00:00Z', '2026-12-20T24:00:00Z'),
);

/** Values an attacker or a buggy client sends instead of what the schema asks for. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, -0, 1e308, -1e308, 2 ** 53 + 1, 0.1, '', ' ', '0', 'null', 'true', '[]', '{}'),
    fc.constantFrom(
      'nul\u0000byte', '\ud800lone surrogate', 'emoji 🧨💥', 'ü'.repeat(300), '<script>alert(1)</script>', "' OR 1=1 --", '${jndi:ldap://x}',
      '../../etc/passwd', '%00', '\r\nX-Injected: 1', '__proto__', 'constructor',
    ),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(1_000, 10_000, 70_000).map((n) => 'x'.repeat(n)),
    fc.integer({ min: 50, max: 2000 }).map((depth) => deepNest(depth)),
    fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
    fc.integer({ min: 1000, max: 5000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

function deepNest(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

export interface IdPools {
  /** Ids the caller may aim at: its own things and other organisations' things. */
  ids: string[];
}

/** A value the schema accepts, or nearly: boundaries included. */
export function validValue(schema: Json, ids: string[], name = '', depth = 0): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object' || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (Array.isArray(schema.enum) && schema.enum.length) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'date-time' || /At$|since$/.test(name)) return dateTime;
      if (schema.format === 'uuid' || /Id$|^id$/.test(name) || (name === 'agencies' && depth > 0)) {
        return fc.oneof({ weight: 3, arbitrary: ids.length ? fc.constantFrom(...ids) : fc.uuid() }, fc.uuid(), fc.uuid().map((u) => u.toUpperCase()));
      }
      const samples = SAMPLE_STRINGS[name];
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? 64;
      const sized = fc.oneof(
        fc.string({ minLength: min, maxLength: Math.min(max, min + 40) }),
        fc.constantFrom(...[min, max, max + 1, Math.max(0, min - 1)].filter((n) => n <= 100_000)).map((n) => 'a'.repeat(n)),
      );
      return samples ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...samples) }, sized) : sized;
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1e6;
      const max = schema.maximum ?? 1e30;
      const bounds = fc.constantFrom(min, max, min - 1, max + 1, 0);
      const inside = type === 'integer'
        ? fc.integer({ min: Math.max(Math.ceil(min), -(2 ** 31)), max: Math.min(Math.floor(max), 2 ** 31) })
        : fc.double({ min, max, noNaN: true });
      return fc.oneof(inside, bounds);
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? 4, min + 3);
      return fc.array(validValue(schema.items ?? {}, ids, name, depth + 1), { minLength: min, maxLength: max });
    }
    case 'object':
    default: {
      const props: Record<string, Json> = schema.properties ?? {};
      if (Object.keys(props).length === 0) {
        // A body the document leaves open (brokered chat completions): the shapes its own code expects.
        return fc.dictionary(fc.constantFrom('messages', 'stream', 'model', 'temperature', 'max_tokens'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
      }
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = validValue(v, ids, k, depth + 1);
      const required = (schema.required ?? []).filter((k: string) => k in props);
      return fc.record(model, { requiredKeys: required });
    }
  }
}

/** Every path to a value inside `v` (objects and arrays), the root included. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (prefix.length > 6) return out;
  if (Array.isArray(v)) v.slice(0, 5).forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, op: 'replace' | 'delete' | 'extra'): unknown {
  const copy = structuredClone(root) as any;
  if (path.length === 0) return op === 'replace' ? value : copy;
  let parent = copy;
  for (const p of path.slice(0, -1)) parent = parent[p];
  const last = path[path.length - 1];
  const target = parent[last];
  if (op === 'replace') parent[last] = value;
  else if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (target && typeof target === 'object' && !Array.isArray(target)) target[`extra_${String(last)}`] = value;
  return copy;
}

/**
 * A body for the schema: as documented, or with one value somewhere inside it replaced by a hostile one,
 * removed, or joined by a field nobody asked for; or nothing like the schema at all.
 */
export function bodyFor(schema: Json, ids: string[]): fc.Arbitrary<unknown> {
  const valid = validValue(schema, ids);
  const mutated = valid.chain((v) => {
    const all = paths(v);
    return fc.tuple(fc.constantFrom(...all), fc.constantFrom('replace', 'delete', 'extra') as fc.Arbitrary<'replace' | 'delete' | 'extra'>, hostileValue()).map(
      ([path, op, value]) => (op === 'extra' && path.length === 0 ? { ...(v as object), approve: value } : setAt(v, path, value, op)),
    );
  });
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 5, arbitrary: mutated }, { weight: 1, arbitrary: hostileValue() });
}

/** Path parameter values: ids of the caller's own and other organisations' things, and malformed ones. */
export function pathValue(ids: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: ids.length ? fc.constantFrom(...ids) : fc.uuid() },
    { weight: 1, arbitrary: fc.uuid() },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom(
          'null', 'undefined', '0', '-1', '1e309', "' OR 1=1 --", '../../etc/passwd', '..', '%00', '%2e%2e', 'x'.repeat(5000),
          '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{0192f0a0-0000-7000-8000-000000000001}',
          '0192f0a0-0000-7000-8000-00000000000g', '0192f0a000007000800000000000001', 'ü', '🧨', 'a b', '\u0000',
        ),
        (ids.length ? fc.constantFrom(...ids) : fc.uuid()).map((id) => id.toUpperCase()),
        (ids.length ? fc.constantFrom(...ids) : fc.uuid()).map((id) => `${id} `),
        fc.string({ minLength: 1, maxLength: 60 }),
      ),
    },
  );
}

/** A query string from the documented parameters: valid, hostile, repeated, unknown or not even well encoded. */
export function queryFor(params: QueryParam[], ids: string[]): fc.Arbitrary<string> {
  const one = (p: QueryParam) =>
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: validValue(p.schema, ids, p.name).map((v) => [[p.name, String(v)]]) },
        { weight: 2, arbitrary: hostileValue().map((v) => [[p.name, typeof v === 'string' ? v : JSON.stringify(v) ?? '']]) },
        { weight: 1, arbitrary: fc.tuple(validValue(p.schema, ids, p.name), hostileValue()).map(([a, b]) => [[p.name, String(a)], [p.name, String(b)]]) },
      ),
      { freq: 2 },
    );
  const documented = fc.tuple(...params.map(one)).map((parts) => parts.filter(Boolean).flat() as [string, string][]);
  const extra = fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'limit', 'approve', 'a[b]', 'x'), fc.string({ maxLength: 20 })), { freq: 3 });
  const structured = fc.tuple(documented, extra).map(([pairs, x]) => {
    const search = new URLSearchParams();
    for (const [k, v] of pairs) search.append(k, v.replace(/[\ud800-\udfff]/g, '?'));
    if (x) search.append(x[0], x[1].replace(/[\ud800-\udfff]/g, '?'));
    const s = search.toString();
    return s ? `?${s}` : '';
  });
  const raw = fc.constantFrom('?%', '?%zz=1', '?&&&=&', '?=x', '?state=%ff%fe', '?limit=1&limit=2', `?${'a='.repeat(2000)}`, '?format=osv%00', '?types=,,,');
  return fc.oneof({ weight: 6, arbitrary: structured }, { weight: 1, arbitrary: raw });
}
