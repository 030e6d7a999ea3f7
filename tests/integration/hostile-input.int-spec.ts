// A fuzz run over every public route of the gateway, with the whole system behind it: requests built by
// fast-check from the live OpenAPI document (random and boundary values, wrong types, missing and extra fields,
// huge strings and deep nesting, malformed and other organisations' ids, bad query strings and headers), then
// bad encodings on every route. Whatever comes in: never a 5xx; every 4xx is problem+json with a code; a refused
// request changes no row of any service; no answer carries a secret or another tenant's data.
// FUZZ_RUNS (runs per route, default 12) and FUZZ_SEED (default fixed) make longer or other runs.
import fc from 'fast-check';
import { HostileWorld, RawAnswer, RawRequest, Role, ROLES } from './hostile-world';
import { bodyFor, fillPath, hostileValue, loadRoutes, pathValue, queryFor, Route, validValue } from './openapi-routes';

jest.setTimeout(300_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

const KIND: Record<Role, string> = {
  none: 'none', revoked: 'lab', labA: 'lab', labB: 'lab', agencyGranted: 'agency', agencyNoGrant: 'agency', agencyLow: 'agency', analyst: 'clearinghouse', operator: 'operator',
};

describe('hostile input at every public route', () => {
  let world: HostileWorld;
  let routes: Route[];

  beforeAll(async () => {
    world = await HostileWorld.start();
    routes = await loadRoutes(world.gw.url);
    process.stdout.write(`hostile input: seed ${SEED}, ${RUNS} runs per route (FUZZ_SEED, FUZZ_RUNS)\n`);
  });
  afterAll(() => world?.dispose());

  /** Roles the route admits (from its documented roles), so that most requests get past the door to validation. */
  const admitted = (route: Route): Role[] => {
    const inside = ROLES.filter((r) => r !== 'none' && r !== 'revoked');
    const roles = route.roles ? inside.filter((r) => route.roles!.includes(KIND[r])) : inside;
    return roles.length ? roles : [...ROLES];
  };

  const headerValue = fc.oneof(
    fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 }),
    fc.constantFrom('k'.repeat(300), ' ', 'ÿÿ', '0', '-1', '999999999999999999999', ' 5', 'abc'),
  );
  const authorization = fc.constantFrom('Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', 'Bearer vnt_x_y', `Bearer ${'a'.repeat(5000)}`, 'Bearer a b', 'bearer');

  function requestFor(route: Route): fc.Arbitrary<RawRequest> {
    const role = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...admitted(route)) }, { weight: 1, arbitrary: fc.constantFrom(...ROLES) });
    return role.chain((who) => {
      const ids = world.idsFor(who);
      const params = fc.record(Object.fromEntries(route.pathParams.map((p) => [p, pathValue(ids)])) as Record<string, fc.Arbitrary<string>>);
      const query = route.query.length ? queryFor(route.query, ids) : fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryFor([], ids) });
      // fetch cannot send a body with GET; other routes without one get an unexpected body now and then.
      const body = route.body
        ? fc.option(bodyFor(route.body, ids), { freq: 12 })
        : route.method === 'GET' ? fc.constant(null) : fc.option(hostileValue(), { freq: 4 });
      const headers = fc.record(
        {
          ...(route.headers.includes('idempotency-key') ? { 'idempotency-key': headerValue } : {}),
          ...(route.headers.includes('last-event-id') ? { 'last-event-id': headerValue } : {}),
          authorization,
        },
        { requiredKeys: [] },
      );
      // Garbage Authorization headers only now and then: the point is mostly to get past the door.
      const headerSet = fc.tuple(headers, fc.integer({ min: 0, max: 9 })).map(([h, n]) => (n === 0 ? h : { ...h, authorization: undefined }));
      return fc.tuple(params, query, body, headerSet, fc.integer({ min: 0, max: 19 })).map(([values, q, b, h, n]): RawRequest => {
        const json = b === null || b === undefined ? undefined : JSON.stringify(b);
        const extra = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>;
        return {
          method: route.method,
          // One request in twenty carries its path values unencoded.
          path: fillPath(route.path, values, n === 0) + q,
          role: extra.authorization ? undefined : who,
          headers: { ...extra, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: json,
        };
      });
    });
  }

  const describeRequest = (req: RawRequest, answer?: RawAnswer) =>
    `${req.method} ${req.path.slice(0, 300)} as ${req.role ?? req.headers?.authorization?.slice(0, 40) ?? 'nobody'}` +
    ` headers ${JSON.stringify({ ...req.headers, authorization: undefined }).slice(0, 200)} body ${typeof req.body === 'string' ? req.body.slice(0, 400) : `<${req.body?.length ?? 0} bytes>`}` +
    (answer ? ` → ${answer.status} ${answer.contentType} ${answer.text.slice(0, 400)}` : '');

  /** Sends the request and checks what every answer must be; returns the answer for further checks. */
  async function check(route: Route, req: RawRequest): Promise<RawAnswer | undefined> {
    const before = await world.snapshot();
    let answer: RawAnswer;
    try {
      answer = await world.send(req);
    } catch (e) {
      // Some byte sequences cannot even be sent (fetch refuses them): nothing reached the gateway.
      if (e instanceof TypeError && !/fetch failed/.test(e.message)) return undefined;
      throw new Error(`no answer: ${(e as Error).message}\n${describeRequest(req)}`);
    }
    const where = describeRequest(req, answer);
    const fail = (what: string) => {
      throw new Error(`${what}\n  ${where}`);
    };
    if (answer.status >= 500) fail(`${answer.status} from the gateway`);
    if (answer.status < 200 || (answer.status >= 300 && answer.status < 400)) fail(`unexpected status ${answer.status}`);
    // Brokered access passes the lab's own OpenAI-style answer through: its errors are the model's, not the gateway's.
    const upstream = route.path.startsWith('/v1/access/') && !answer.contentType.includes('problem+json') && answer.body?.error !== undefined;
    if (answer.status >= 400 && !upstream) {
      if (!answer.contentType.includes('application/problem+json')) fail(`a ${answer.status} that is not application/problem+json`);
      const p = answer.body;
      if (!p || p.status !== answer.status || typeof p.code !== 'string' || !/^[a-z0-9_]+$/.test(p.code) || typeof p.type !== 'string' || typeof p.title !== 'string' || typeof p.detail !== 'string') {
        fail('a problem without type, title, status, detail and code');
      }
      const after = await world.snapshot();
      const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
      if (changed.length) fail(`refused, yet rows changed in ${changed.join(', ')}`);
    }
    const asked = `${req.path} ${typeof req.body === 'string' ? req.body : ''}`.toLowerCase();
    const leaked = world.forbiddenFor(req.role ?? 'none').filter((m) => answer.text.toLowerCase().includes(m.toLowerCase()) && !asked.includes(m.toLowerCase()));
    if (leaked.length) fail(`the answer to ${req.role ?? 'nobody'} carries ${leaked.join(', ')}`);
    if ((answer.status < 300 && req.method !== 'GET') || upstream) await world.quiet();
    return answer;
  }

  it('lists every route of the gateway with a schema for each body it takes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(35);
    const undocumented = routes.filter((r) => r.body && r.body.type === 'object' && Object.keys(r.body.properties ?? {}).length === 0 && !r.path.startsWith('/v1/access/'));
    expect(undocumented.map((r) => r.key)).toEqual([]);
  });

  it('answers random, boundary and wrong-typed values, missing and extra fields, odd ids, queries and headers without a 5xx, a leak or a half-written row', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      try {
        await fc.assert(
          fc.asyncProperty(requestFor(route), async (req) => {
            await check(route, req);
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
        );
      } catch (e) {
        failures.push(`${route.key}: ${report(e as Error)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers paths the router cannot read and request lines over the size limit on every route', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const role = admitted(route)[0];
      const ids = Object.fromEntries(route.pathParams.map((p) => [p, '0192f0a0-0000-7000-8000-00000000dead']));
      const paths = [`${fillPath(route.path, ids)}?${'q='.repeat(10_000)}`];
      if (route.pathParams.length) {
        for (const bad of ['%zz', '%E0%A4%A', 'x'.repeat(5000)]) paths.push(fillPath(route.path, Object.fromEntries(route.pathParams.map((p) => [p, bad])), true));
      }
      for (const path of paths) {
        try {
          await check(route, { method: route.method, path, role });
        } catch (err) {
          failures.push(`${route.key}: ${report(err as Error)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers bad encodings on every route that takes a body: invalid UTF-8, truncated JSON, wrong content types, deep nesting, too large', async () => {
    const encodings: [string, (valid: string) => { body: string | Uint8Array; contentType?: string; headers?: Record<string, string> }][] = [
      ['invalid UTF-8', () => ({ body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), contentType: 'application/json' })],
      ['invalid UTF-8 inside a real field', (v) => ({ body: Buffer.concat([Buffer.from(v.slice(0, -2)), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(v.slice(-2))]), contentType: 'application/json' })],
      ['truncated JSON', (v) => ({ body: v.slice(0, Math.max(1, Math.floor(v.length / 2))), contentType: 'application/json' })],
      ['empty body declared JSON', () => ({ body: '', contentType: 'application/json' })],
      ['JSON as text/plain', (v) => ({ body: v, contentType: 'text/plain' })],
      ['a form', () => ({ body: 'name=x&kind=lab', contentType: 'application/x-www-form-urlencoded' })],
      ['multipart', () => ({ body: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n', contentType: 'multipart/form-data; boundary=b' })],
      ['XML', () => ({ body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', contentType: 'application/xml' })],
      ['JSON in Latin-1', (v) => ({ body: Buffer.from(v.replace(/"$/, '') + 'é', 'latin1'), contentType: 'application/json; charset=iso-8859-1' })],
      ['JSON declared UTF-16', (v) => ({ body: Buffer.from(v, 'utf16le'), contentType: 'application/json; charset=utf-16' })],
      ['a byte-order mark', (v) => ({ body: `\ufeff${v}`, contentType: 'application/json' })],
      ['JSON with comments, NaN and duplicate keys', () => ({ body: '{"a": 1, /* c */ "a": NaN}', contentType: 'application/json' })],
      ['bare JSON scalars', () => ({ body: '"just a string"', contentType: 'application/json' })],
      ['100 000 levels of nesting', () => ({ body: '['.repeat(100_000) + ']'.repeat(100_000), contentType: 'application/json' })],
      ['2 MiB of JSON', () => ({ body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), contentType: 'application/json' })],
      ['gzip declared, plain sent', (v) => ({ body: v, contentType: 'application/json', headers: { 'content-encoding': 'gzip' } })],
    ];
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const role = admitted(route)[0];
      const ids = world.idsFor(role);
      const [valid] = fc.sample(route.body ? validValue(route.body, ids) : fc.constant({ a: 1 }), { seed: SEED, numRuns: 1 });
      const validJson = JSON.stringify(valid ?? {});
      const values = Object.fromEntries(route.pathParams.map((p) => [p, '0192f0a0-0000-7000-8000-00000000dead']));
      for (const [name, make] of encodings) {
        const e = make(validJson);
        const req: RawRequest = {
          method: route.method, path: fillPath(route.path, values), role, body: e.body,
          headers: { ...(e.contentType ? { 'content-type': e.contentType } : {}), ...(e.headers ?? {}) },
        };
        try {
          await check(route, req);
        } catch (err) {
          failures.push(`${route.key} with ${name}: ${report(err as Error)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

/** fast-check's report without the counterexample's full bytes (the request is described in the error). */
function report(e: Error): string {
  const m = e.message;
  const seed = /\{ seed: [^}]*\}/.exec(m)?.[0] ?? '';
  const got = m.indexOf('Got error: ');
  const error = (got >= 0 ? m.slice(got + 'Got error: '.length) : m).split('\n    at ')[0];
  return `${seed}\n${error.slice(0, 2500)}`;
}
