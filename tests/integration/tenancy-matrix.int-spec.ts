// Every route × every role, aimed at someone else's resource (labA's, or labA's case), with the status the API
// contract gives: 401 without a (working) key, 403 for a role the route does not admit, 404 for a resource the
// caller may not see, success only where entitled. The routes come from the live OpenAPI document: a route
// without a row here fails the run, so no route goes untested. A refusal changes no row and no answer carries
// what the caller is not entitled to. Every answer is also held to the document: its status is documented for the
// route and its body matches the documented schema, field for field.
import { waitFor } from '@vantage/testing';
import { randomBytes } from 'node:crypto';
import { submissionBody } from '../../apps/intake/test/gateway-fixture';
import { finding, HostileWorld, Role, ROLES } from './hostile-world';
import { DocumentedAnswers, loadDocument, loadRoutes } from './openapi-routes';

jest.setTimeout(120_000);

const DAY = 24 * 3600 * 1000;

type Expected = Record<Role, number>;
interface Target {
  path: string;
  body?: unknown;
}
interface Row {
  expect: Expected;
  /**
   * The request. `entitled` is true when the role is expected to succeed: a call that changes things then gets
   * a resource of its own (made by labA, or the clearinghouse), so that one success does not change the next cell.
   */
  request: (w: HostileWorld, entitled: boolean) => Promise<Target> | Target;
}

/** The statuses per role: anyone not named gets `otherwise`; no key or a revoked key is always 401. */
function expect_(named: Partial<Record<Role, number>>, otherwise: number): Expected {
  return Object.fromEntries(ROLES.map((r) => [r, r === 'none' || r === 'revoked' ? 401 : (named[r] ?? otherwise)])) as Expected;
}
const PUBLIC: Expected = Object.fromEntries(ROLES.map((r) => [r, 200])) as Expected;

const LABS = { labA: 1, labB: 1 };
const AGENCIES = { agencyGranted: 1, agencyNoGrant: 1, agencyLow: 1 };
const each = (roles: Record<string, number>, status: number) => Object.fromEntries(Object.keys(roles).map((r) => [r, status])) as Partial<Record<Role, number>>;

let world: HostileWorld;
let documented: DocumentedAnswers;
const tag = () => randomBytes(3).toString('hex');

/** labA's own things, made fresh for a cell that is expected to succeed. */
const fresh = {
  submission: () => world.gw.submit(world.orgs.labA.key, world.env.clock.now(), 10),
  async case(opts: { duplicates?: boolean } = {}): Promise<{ caseId: string; findingIds: string[] }> {
    const fn = `matrix_${tag()}`;
    const first = await world.call('labA', 'POST', '/v1/findings', finding(`Matrix case ${fn}`, 'poc', fn));
    const ids = [first.body.findingId];
    if (opts.duplicates) ids.push((await world.call('agencyGranted', 'POST', '/v1/findings', finding(`Matrix case ${fn}`, 'poc', fn))).body.findingId);
    return { caseId: first.body.caseId, findingIds: ids };
  },
  async subscription(): Promise<string> {
    return (await world.call('labA', 'POST', '/v1/subscriptions', { url: 'http://127.0.0.1:9/hook', types: ['gov.vantage.window.*'] })).body.id;
  },
};

const MATRIX: Record<string, Row> = {
  'POST /v1/orgs': { expect: expect_({ operator: 201 }, 403), request: () => ({ path: '/v1/orgs', body: { name: `Matrix ${tag()}`, kind: 'lab' } }) },
  'POST /v1/orgs/{orgId}/keys': { expect: expect_({ operator: 201 }, 403), request: (w) => ({ path: `/v1/orgs/${w.orgs.labA.id}/keys` }) },
  'DELETE /v1/orgs/{orgId}/keys/{keyId}': {
    expect: expect_({ operator: 204 }, 403),
    request: async (w, entitled) => {
      const keyId = entitled ? (await w.call('operator', 'POST', `/v1/orgs/${w.orgs.labA.id}/keys`)).body.id : w.resources.spareKeyId;
      return { path: `/v1/orgs/${w.orgs.labA.id}/keys/${keyId}` };
    },
  },

  'POST /v1/submissions': {
    expect: expect_(each(LABS, 201), 403),
    request: (w) => ({
      path: '/v1/submissions',
      body: submissionBody({ model: { name: 'matrix', version: tag() }, plannedReleaseAt: new Date(w.env.clock.nowMs() + 20 * DAY).toISOString(), earliestAccessAt: undefined }),
    }),
  },
  'GET /v1/submissions': { expect: expect_({ ...each(LABS, 200), operator: 200 }, 403), request: () => ({ path: '/v1/submissions' }) },
  'GET /v1/submissions/{id}': {
    expect: expect_({ labA: 200, operator: 200, labB: 404 }, 403),
    request: (w) => ({ path: `/v1/submissions/${w.resources.submission}` }),
  },
  'PATCH /v1/submissions/{id}': {
    expect: expect_({ labA: 200, labB: 404 }, 403),
    request: async (w, entitled) => ({
      path: `/v1/submissions/${entitled ? await fresh.submission() : w.resources.submission}`,
      body: { plannedReleaseAt: new Date(w.env.clock.nowMs() + 12 * DAY).toISOString() },
    }),
  },
  'POST /v1/submissions/{id}/withdraw': {
    expect: expect_({ labA: 200, labB: 404 }, 403),
    request: async (w, entitled) => ({ path: `/v1/submissions/${entitled ? await fresh.submission() : w.resources.submission}/withdraw` }),
  },
  'POST /v1/submissions/{id}/release': {
    expect: expect_({ labA: 200, labB: 404 }, 403),
    request: async (w, entitled) => ({ path: `/v1/submissions/${entitled ? await fresh.submission() : w.resources.submission}/release`, body: {} }),
  },

  'GET /v1/submissions/{id}/window': {
    expect: expect_({ labA: 200, agencyGranted: 200, agencyLow: 200, operator: 200, labB: 404, agencyNoGrant: 404 }, 403),
    request: (w) => ({ path: `/v1/submissions/${w.resources.submission}/window` }),
  },
  'GET /v1/windows': { expect: expect_({ ...each(LABS, 200), ...each(AGENCIES, 200), operator: 200 }, 403), request: () => ({ path: '/v1/windows' }) },

  'POST /v1/access/{submissionId}/chat/completions': {
    // API.md: an agency without a grant is 403 (the same for an id that does not exist, so nothing is revealed).
    expect: expect_({ agencyGranted: 200, agencyLow: 200 }, 403),
    request: (w) => ({ path: `/v1/access/${w.resources.submission}/chat/completions`, body: { messages: [{ role: 'user', content: 'What is 2 + 2?' }] } }),
  },
  'GET /v1/submissions/{id}/access-log': {
    expect: expect_({ labA: 200, operator: 200, labB: 404 }, 403),
    request: (w) => ({ path: `/v1/submissions/${w.resources.submission}/access-log` }),
  },

  'POST /v1/findings': {
    expect: expect_({ ...each(LABS, 201), ...each(AGENCIES, 201), analyst: 201 }, 403),
    request: () => ({ path: '/v1/findings', body: finding(`Matrix finding ${tag()}`, 'poc', `f_${tag()}`) }),
  },
  'GET /v1/cases': { expect: expect_({}, 200), request: () => ({ path: '/v1/cases' }) },
  'GET /v1/cases/{id}': { expect: expect_({ labA: 200, analyst: 200 }, 404), request: (w) => ({ path: `/v1/cases/${w.resources.caseA}` }) },
  'POST /v1/cases/{id}/transitions': {
    expect: expect_({ analyst: 200 }, 403),
    request: async (w, entitled) => ({ path: `/v1/cases/${entitled ? (await fresh.case()).caseId : w.resources.caseA}/transitions`, body: { to: 'triaged', note: 'matrix' } }),
  },
  'POST /v1/cases/{id}/embargo': {
    expect: expect_({ analyst: 200 }, 403),
    request: async (w, entitled) => ({
      path: `/v1/cases/${entitled ? (await fresh.case()).caseId : w.resources.caseA}/embargo`,
      body: { deadlineAt: new Date(w.env.clock.nowMs() + 120 * DAY).toISOString(), reason: 'matrix' },
    }),
  },
  'POST /v1/cases/{id}/access': {
    expect: expect_({ analyst: 200 }, 403),
    request: async (w, entitled) => ({ path: `/v1/cases/${entitled ? (await fresh.case()).caseId : w.resources.caseA}/access`, body: { orgId: w.orgs.labB.id } }),
  },
  // Merge, split and vendor status: need-to-know first (404 to strangers), then the role (403 to labA, a reporter).
  'POST /v1/cases/{id}/merge': {
    expect: expect_({ analyst: 200, labA: 403 }, 404),
    request: async (w, entitled) => {
      if (!entitled) return { path: `/v1/cases/${w.resources.caseA}/merge`, body: { caseId: w.resources.caseB, note: 'matrix' } };
      const [into, absorbed] = [await fresh.case(), await fresh.case()];
      return { path: `/v1/cases/${into.caseId}/merge`, body: { caseId: absorbed.caseId, note: 'matrix' } };
    },
  },
  'POST /v1/cases/{id}/split': {
    expect: expect_({ analyst: 201, labA: 403 }, 404),
    request: async (w, entitled) => {
      if (!entitled) return { path: `/v1/cases/${w.resources.caseA}/split`, body: { findingIds: [w.resources.findingA], note: 'matrix' } };
      const c = await fresh.case({ duplicates: true });
      return { path: `/v1/cases/${c.caseId}/split`, body: { findingIds: [c.findingIds[1]], note: 'matrix' } };
    },
  },
  'POST /v1/cases/{id}/vendors/{vendorId}': {
    expect: expect_({ analyst: 200, labA: 403 }, 404),
    request: async (w, entitled) => ({
      path: `/v1/cases/${entitled ? (await fresh.case()).caseId : w.resources.caseA}/vendors/${w.resources.vendor}`,
      body: { status: 'affected' },
    }),
  },
  'GET /v1/cases/{id}/advisory': { expect: expect_({ labA: 200, analyst: 200 }, 404), request: (w) => ({ path: `/v1/cases/${w.resources.caseA}/advisory?format=osv` }) },
  'POST /v1/vendors': {
    expect: expect_({ analyst: 201 }, 403),
    request: () => ({ path: '/v1/vendors', body: { name: `Vendor ${tag()}`, purlPrefixes: [`pkg:npm/v-${tag()}`], contactUrl: 'https://vendor.example/psirt' } }),
  },

  // Every organisation may ask who its key speaks for (and only that: the answer is its own).
  'GET /v1/me': { expect: expect_({}, 200), request: () => ({ path: '/v1/me' }) },
  // Every organisation reads its own feed; its credentials name only its own feed (nats-feeds.int-spec.ts).
  'POST /v1/feeds/credentials': { expect: expect_({}, 201), request: () => ({ path: '/v1/feeds/credentials', body: {} }) },

  'POST /v1/subscriptions': {
    expect: expect_({ ...each(LABS, 201), ...each(AGENCIES, 201) }, 403),
    request: () => ({ path: '/v1/subscriptions', body: { url: 'http://127.0.0.1:9/hook', types: ['gov.vantage.window.*'] } }),
  },
  'GET /v1/subscriptions': { expect: expect_({ ...each(LABS, 200), ...each(AGENCIES, 200) }, 403), request: () => ({ path: '/v1/subscriptions' }) },
  'DELETE /v1/subscriptions/{id}': {
    expect: expect_({ labA: 204, labB: 404, ...each(AGENCIES, 404) }, 403),
    request: async (w, entitled) => ({ path: `/v1/subscriptions/${entitled ? await fresh.subscription() : w.resources.subscriptionA}` }),
  },
  'POST /v1/subscriptions/{id}/rotate-secret': {
    expect: expect_({ labA: 200, labB: 404, ...each(AGENCIES, 404) }, 403),
    request: async (w, entitled) => ({ path: `/v1/subscriptions/${entitled ? await fresh.subscription() : w.resources.subscriptionA}/rotate-secret` }),
  },
  'GET /v1/subscriptions/{id}/deliveries': {
    expect: expect_({ labA: 200, labB: 404, ...each(AGENCIES, 404) }, 403),
    request: (w) => ({ path: `/v1/subscriptions/${w.resources.subscriptionA}/deliveries` }),
  },
  'POST /v1/subscriptions/{id}/replay': {
    expect: expect_({ labA: 202, labB: 404, ...each(AGENCIES, 404) }, 403),
    request: async (w, entitled) => ({
      path: `/v1/subscriptions/${entitled ? await fresh.subscription() : w.resources.subscriptionA}/replay`,
      body: { since: new Date(w.env.clock.nowMs() - DAY).toISOString() },
    }),
  },
  'GET /v1/events': { expect: expect_({}, 200), request: () => ({ path: '/v1/events' }) },

  'POST /v1/suites': {
    expect: expect_({ operator: 201 }, 403),
    request: () => ({
      path: '/v1/suites',
      // Inactive in effect: no window opens after this test's set-up that the runner would run it on, beyond fresh ones.
      body: { name: `matrix-${tag()}`, version: '1', classification: 'secret', scorer: 'exact', items: [{ id: 'q1', input: 'What is 2 + 2?', target: '4' }] },
    }),
  },
  'GET /v1/suites': { expect: expect_({ operator: 200, ...each(AGENCIES, 200) }, 403), request: () => ({ path: '/v1/suites' }) },
  // API.md: runs are for operators and agencies with clearance (filtered per suite), and, as everything about a
  // submission, only for agencies the lab granted access: another agency gets 404.
  'GET /v1/submissions/{id}/runs': {
    expect: expect_({ operator: 200, ...each(AGENCIES, 200), agencyNoGrant: 404 }, 403),
    request: (w) => ({ path: `/v1/submissions/${w.resources.submission}/runs` }),
  },
  'GET /v1/submissions/{id}/classification': {
    // The route admits labs, agencies and operators (analysts: 403); the runner answers 404 to those not entitled.
    expect: expect_({ labA: 200, agencyGranted: 200, agencyLow: 200, operator: 200, analyst: 403 }, 404),
    request: (w) => ({ path: `/v1/submissions/${w.resources.submission}/classification` }),
  },
};

/** The platform's routes of every service: public, and not part of the API, so not in its document. */
const PLATFORM: Record<string, Row> = {
  'GET /health/live': { expect: PUBLIC, request: () => ({ path: '/health/live' }) },
  'GET /health/ready': { expect: PUBLIC, request: () => ({ path: '/health/ready' }) },
  'GET /metrics': { expect: PUBLIC, request: () => ({ path: '/metrics' }) },
};

describe('tenancy: every route × every role × someone else’s resource', () => {
  beforeAll(async () => {
    world = await HostileWorld.start();
    // The runner decides labA's model once its window opens (no suites: on declared compute alone).
    await waitFor(async () => (await world.env.query('SELECT 1 FROM bench.classifications WHERE submission_id = $1', [world.resources.submission])).length > 0, {
      what: "the runner's decision on labA's model",
    });
    documented = new DocumentedAnswers(await loadDocument(world.gw.url));
  });
  afterAll(() => world?.dispose());

  it('has a row for every route of the OpenAPI document, and no row for a route that does not exist', async () => {
    const routes = (await loadRoutes(world.gw.url)).map((r) => r.key).sort();
    expect({
      withoutRow: routes.filter((k) => !MATRIX[k]),
      notARoute: Object.keys(MATRIX).filter((k) => !routes.includes(k)),
      platformDocumented: Object.keys(PLATFORM).filter((k) => routes.includes(k)),
    }).toEqual({ withoutRow: [], notARoute: [], platformDocumented: [] });
  });

  describe.each([...Object.keys(MATRIX), ...Object.keys(PLATFORM)])('%s', (route) => {
    const inDocument = !!MATRIX[route];
    it(`answers each role as the contract says, refusing without a change and without a leak${inDocument ? ', each answer as documented' : ''}`, async () => {
      const row = MATRIX[route] ?? PLATFORM[route];
      const method = route.split(' ')[0];
      const seen: Partial<Record<Role, number>> = {};
      const problems: string[] = [];
      for (const role of ROLES) {
        const expected = row.expect[role];
        const target = await row.request(world, expected < 300);
        // Making a fresh resource set things in motion: let them finish before the rows are compared.
        if (expected < 300 && method !== 'GET') await world.quiet();
        const before = await world.snapshot();
        const answer = await world.send({
          method, path: target.path, role,
          ...(target.body !== undefined ? { body: JSON.stringify(target.body), headers: { 'content-type': 'application/json' } } : {}),
        });
        seen[role] = answer.status;
        if (answer.status < 300 && method !== 'GET') await world.quiet();
        if (answer.status !== expected) problems.push(`${role}: expected ${expected}, got ${answer.status} ${answer.text.slice(0, 200)}`);
        if (inDocument) problems.push(...documented.problems(route, answer).map((p) => `${role}: not as documented: ${p}`));
        if (answer.status >= 400) {
          if (!answer.contentType.includes('application/problem+json') || typeof answer.body?.code !== 'string') problems.push(`${role}: ${answer.status} is not a problem with a code`);
          const after = await world.snapshot();
          const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
          if (changed.length) problems.push(`${role}: refused with ${answer.status}, yet rows changed in ${changed.join(', ')}`);
        }
        const asked = `${target.path} ${JSON.stringify(target.body ?? '')}`.toLowerCase();
        const leaked = world.forbiddenFor(role).filter((m) => answer.text.toLowerCase().includes(m.toLowerCase()) && !asked.includes(m.toLowerCase()));
        if (leaked.length) problems.push(`${role}: the answer carries ${leaked.join(', ')}`);
      }
      expect({ route, problems }).toEqual({ route, problems: [] });
      expect(seen).toEqual(row.expect);
    });
  });
});
