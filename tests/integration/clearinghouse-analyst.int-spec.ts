// An analyst's corrections through the gateway: merging near-duplicates, splitting a case, and vendor status
// per case, each refused without a trace when illegal and invisible (404) to anyone without need-to-know.
import {
  AppModule as VulnModule, loadVulnClearinghouseConfig, VULN_CLEARINGHOUSE,
} from '@vantage/apps/vuln-clearinghouse';
import { readEvents, RunningService, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(90_000);

const DAY = 24 * 3600 * 1000;

function finding(fn: string, overrides: Record<string, unknown> = {}) {
  return {
    title: `Overflow in ${fn}`,
    description: 'A long input overflows a fixed buffer.',
    affected: [{ purl: 'pkg:npm/libmerge' }],
    cwe: 'CWE-787',
    cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    location: { file: 'src/merge.c', function: fn },
    discoveredWith: { model: 'acme-frontier-2026-12', tool: 'fuzz' },
    ...overrides,
  };
}

describe('the clearinghouse analyst', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let vuln: RunningService;
  let agencyA: { id: string; key: string };
  let agencyB: { id: string; key: string };
  let stranger: { id: string; key: string };
  let analyst: { id: string; key: string };

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await env.migrate(VULN_CLEARINGHOUSE);
    gw = await Gateway.start(env);
    vuln = await env.start(VULN_CLEARINGHOUSE, {
      loadConfig: (e) => loadVulnClearinghouseConfig(e), module: (c, o) => VulnModule.forRoot(c, o), overrides: { TIMER_POLL_MS: 50 },
    });
    agencyA = await gw.organisation('agency', 'Agency A', 'secret');
    agencyB = await gw.organisation('agency', 'Agency B', 'secret');
    stranger = await gw.organisation('agency', 'Stranger', 'top-secret');
    analyst = await gw.organisation('clearinghouse', 'Analysts');
  });
  afterAll(async () => {
    await vuln?.close();
    await env?.dispose();
  });

  const post = (key: string, path: string, body: unknown) => gw.call('POST', path, { key, body });
  const get = (key: string, id: string) => gw.call('GET', `/v1/cases/${id}`, { key });
  const caseEvents = async (caseId: string) => (await readEvents(await env.nats(), env.streamName('vuln'))).filter((e) => e.subject === caseId);
  /** Everything an illegal call could have touched, to show it touched nothing. */
  const snapshot = () =>
    env.query(`SELECT
      (SELECT json_agg(json_build_object('id', id, 'state', state, 'deadline', deadline_at) ORDER BY id) FROM vuln.cases) AS cases,
      (SELECT json_agg(json_build_object('id', id, 'case', case_id) ORDER BY id) FROM vuln.findings) AS findings,
      (SELECT count(*)::int FROM vuln.case_history) AS history,
      (SELECT count(*)::int FROM vuln.case_access) AS access,
      (SELECT count(*)::int FROM vuln.case_related) AS related,
      (SELECT json_agg(json_build_object('c', case_id, 'v', vendor_id, 's', status) ORDER BY case_id, vendor_id) FROM vuln.case_vendors) AS vendors,
      (SELECT count(*)::int FROM vuln.outbox) AS outbox`);

  it('merges a related case into another: findings and finders first-finder-first, need-to-know united, the other a duplicate pointing here', async () => {
    const first = await post(agencyA.key, '/v1/findings', finding('merge_one'));
    env.clock.advance(60_000);
    const second = await post(agencyB.key, '/v1/findings', finding('merge_two', { exploitedInWild: true }));
    expect(second.body.caseId).not.toBe(first.body.caseId);
    const target = first.body.caseId;
    const other = second.body.caseId;
    expect((await get(analyst.key, target)).body.relatedCaseIds).toContain(other);
    expect((await get(agencyB.key, target)).status).toBe(404); // not yet on B's need-to-know

    env.clock.advance(60_000);
    const merged = await post(analyst.key, `/v1/cases/${target}/merge`, { caseId: other, note: 'same overflow, two call sites' });
    expect(merged.status).toBe(200);
    expect(merged.body.findings.map((f: any) => [f.id, f.reporterOrgId])).toEqual([
      [first.body.findingId, agencyA.id],
      [second.body.findingId, agencyB.id],
    ]);
    expect(merged.body.relatedCaseIds).not.toContain(other);
    expect(merged.body.exploitedInWild).toBe(true);
    // The stricter embargo wins: 7 days from B's in-the-wild report.
    expect(merged.body.deadlineAt).toBe(new Date(Date.parse('2026-11-26T12:01:00Z') + 7 * DAY).toISOString());
    expect(merged.body.history.at(-1)).toMatchObject({ by: analyst.id, note: expect.stringContaining(other) });

    const absorbed = await get(agencyB.key, other);
    expect(absorbed.body.state).toBe('duplicate');
    expect(absorbed.body.findings).toEqual([]);
    expect(absorbed.body.history.at(-1)).toMatchObject({ from: 'new', to: 'duplicate', by: analyst.id, note: expect.stringContaining(`merged into ${target}`) });
    expect((await get(agencyB.key, target)).status).toBe(200);

    const changed = await waitFor(async () => (await caseEvents(other)).find((e) => e.type === 'gov.vantage.vuln.case.state-changed.v1'));
    expect(changed.data).toMatchObject({ from: 'new', state: 'duplicate' });
    expect(changed.audience).toContain(`org:${agencyB.id}`);
    const mergedEvent = await waitFor(async () => (await caseEvents(target)).find((e) => e.type === 'gov.vantage.vuln.case.merged.v1'));
    expect(mergedEvent.data).toMatchObject({ absorbedCaseId: other, movedFindingIds: [second.body.findingId] });
    expect(mergedEvent.audience).toContain(`org:${agencyA.id}`);
    expect(mergedEvent.audience).toContain(`org:${agencyB.id}`);
  });

  it('splits findings into a new related case, triaged, with the same deadline and its own need-to-know', async () => {
    const a = await post(agencyA.key, '/v1/findings', finding('split_me'));
    env.clock.advance(1000);
    const b = await post(agencyB.key, '/v1/findings', finding('split_me'));
    expect(b.body).toMatchObject({ duplicate: true, caseId: a.body.caseId });
    const source = a.body.caseId;
    const before = (await get(analyst.key, source)).body;

    env.clock.advance(5 * DAY);
    const split = await post(analyst.key, `/v1/cases/${source}/split`, { findingIds: [b.body.findingId], note: 'B found a different bug' });
    expect(split.status).toBe(201);
    expect(split.body).toMatchObject({ state: 'triaged', deadlineAt: before.deadlineAt, relatedCaseIds: expect.arrayContaining([source]) });
    expect(split.body.findings.map((f: any) => f.id)).toEqual([b.body.findingId]);
    expect(split.body.history[0]).toMatchObject({ from: null, to: 'triaged', by: analyst.id, note: expect.stringContaining(`split from ${source}`) });

    const after = (await get(analyst.key, source)).body;
    expect(after.findings.map((f: any) => f.id)).toEqual([a.body.findingId]);
    expect(after.relatedCaseIds).toContain(split.body.id);
    expect(after.history.at(-1).note).toContain(split.body.id);
    expect((await get(agencyB.key, split.body.id)).status).toBe(200);
    expect((await get(agencyA.key, split.body.id)).status).toBe(404); // A's report stayed behind
    await waitFor(async () => (await caseEvents(split.body.id)).find((e) => e.type === 'gov.vantage.vuln.case.opened.v1'));
  });

  it('answers a repeated split or vendor with the same Idempotency-Key with the first answer, and does it once', async () => {
    const a = await post(agencyA.key, '/v1/findings', finding('split_twice'));
    const b = await post(agencyB.key, '/v1/findings', finding('split_twice'));
    const source = a.body.caseId;
    const headers = { 'idempotency-key': 'split-retry-1' };
    const body = { findingIds: [b.body.findingId], note: 'a retried split' };
    const first = await gw.call('POST', `/v1/cases/${source}/split`, { key: analyst.key, body, headers });
    expect(first.status).toBe(201);
    // Without the key the retry would be refused: the finding is no longer in the source case.
    const again = await gw.call('POST', `/v1/cases/${source}/split`, { key: analyst.key, body, headers });
    expect(again).toMatchObject({ status: 201, body: { id: first.body.id } });
    const [{ n }] = await env.query<{ n: number }>('SELECT count(*)::int AS n FROM vuln.cases WHERE fingerprint = (SELECT fingerprint FROM vuln.cases WHERE id = $1)', [source]);
    expect(n).toBe(2);

    const vendorBody = { name: 'Retry Corp', purlPrefixes: ['pkg:npm/retry-corp'], contactUrl: 'https://retry.example/security' };
    const vendorHeaders = { 'idempotency-key': 'vendor-retry-1' };
    const v1 = await gw.call('POST', '/v1/vendors', { key: analyst.key, body: vendorBody, headers: vendorHeaders });
    const v2 = await gw.call('POST', '/v1/vendors', { key: analyst.key, body: vendorBody, headers: vendorHeaders });
    expect(v1.status).toBe(201);
    expect(v2).toMatchObject({ status: 201, body: v1.body });
    expect(await env.query(`SELECT id FROM vuln.vendors WHERE name = 'Retry Corp'`)).toEqual([{ id: v1.body.id }]);
    const other = await gw.call('POST', '/v1/vendors', { key: analyst.key, body: { ...vendorBody, name: 'Other Retry Corp' }, headers: vendorHeaders });
    expect(other).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
  });

  it('refuses illegal merges and splits, naming the field, with nothing changed', async () => {
    const x = await post(agencyA.key, '/v1/findings', finding('illegal_x'));
    const y = await post(agencyA.key, '/v1/findings', finding('illegal_y'));
    const closed = await post(agencyA.key, '/v1/findings', finding('illegal_closed'));
    await post(analyst.key, `/v1/cases/${closed.body.caseId}/transitions`, { to: 'rejected', note: 'not a bug' });
    const [cx, cy] = [x.body.caseId, y.body.caseId];
    await waitFor(async () => (await env.query('SELECT count(*)::int AS n FROM vuln.outbox WHERE sent_at IS NULL'))[0].n === 0);
    const before = await snapshot();

    const attempts: [string, unknown, number, string][] = [
      [`/v1/cases/${cx}/merge`, { caseId: closed.body.caseId, note: 'rejected one' }, 409, 'caseId'],
      [`/v1/cases/${closed.body.caseId}/merge`, { caseId: cx, note: 'into a rejected one' }, 409, 'id'],
      [`/v1/cases/${cx}/merge`, { caseId: cx, note: 'itself' }, 422, 'caseId'],
      [`/v1/cases/${cx}/merge`, { caseId: '01900000-0000-7000-8000-000000000000', note: 'unknown' }, 422, 'caseId'],
      [`/v1/cases/${cx}/split`, { findingIds: [x.body.findingId], note: 'all of them' }, 422, 'findingIds'],
      [`/v1/cases/${cx}/split`, { findingIds: [y.body.findingId], note: 'not ours' }, 422, 'findingIds[0]'],
      [`/v1/cases/${closed.body.caseId}/split`, { findingIds: [closed.body.findingId], note: 'closed' }, 409, 'id'],
      [`/v1/cases/${cx}/split`, { findingIds: [], note: 'none' }, 400, 'findingIds'],
    ];
    for (const [path, body, status, field] of attempts) {
      const answer = await post(analyst.key, path, body);
      expect([path, answer.status]).toEqual([path, status]);
      expect(answer.body.errors.map((e: any) => e.field)).toContain(field);
    }
    // With need-to-know but not an analyst: forbidden, not hidden.
    expect((await post(agencyA.key, `/v1/cases/${cx}/merge`, { caseId: cy, note: 'not mine to merge' })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('records vendor status set by the vendor organisation and by an analyst, in the case and its history', async () => {
    const vendorOrg = await gw.organisation('lab', 'Merge Corp (vendor)');
    const otherVendorOrg = await gw.organisation('lab', 'Other Corp (vendor)');
    const vendor = (await post(analyst.key, '/v1/vendors', { name: 'Merge Corp', purlPrefixes: ['pkg:npm/vendored-merge'], contactUrl: 'https://merge.example/security', orgId: vendorOrg.id })).body;
    const otherVendor = (await post(analyst.key, '/v1/vendors', { name: 'Other Corp', purlPrefixes: ['pkg:npm/other-thing'], contactUrl: 'https://other.example', orgId: otherVendorOrg.id })).body;
    const f = await post(agencyA.key, '/v1/findings', finding('vendor_status', { affected: [{ purl: 'pkg:npm/vendored-merge@1.0.0' }] }));
    const id = f.body.caseId;

    const byVendor = await post(vendorOrg.key, `/v1/cases/${id}/vendors/${vendor.id}`, { status: 'affected', note: 'confirmed in 1.0' });
    expect(byVendor.status).toBe(200);
    expect(byVendor.body.vendors).toEqual([{ id: vendor.id, name: 'Merge Corp', status: 'affected' }]);
    const byAnalyst = await post(analyst.key, `/v1/cases/${id}/vendors/${vendor.id}`, { status: 'fixed' });
    expect(byAnalyst.body.vendors).toEqual([{ id: vendor.id, name: 'Merge Corp', status: 'fixed' }]);
    expect(byAnalyst.body.history.slice(-2).map((h: any) => [h.by, h.note])).toEqual([
      [vendorOrg.id, expect.stringContaining('unknown → affected: confirmed in 1.0')],
      [analyst.id, expect.stringContaining('affected → fixed')],
    ]);
    // An analyst can bring in a vendor the purl match missed; that vendor's organisation then sees the case.
    expect((await get(otherVendorOrg.key, id)).status).toBe(404);
    const added = await post(analyst.key, `/v1/cases/${id}/vendors/${otherVendor.id}`, { status: 'not-affected' });
    expect(added.body.vendors.map((v: any) => [v.name, v.status])).toEqual([['Merge Corp', 'fixed'], ['Other Corp', 'not-affected']]);
    expect((await get(otherVendorOrg.key, id)).status).toBe(200);
    // A vendor answers only for itself; a reporter is not a vendor.
    expect((await post(otherVendorOrg.key, `/v1/cases/${id}/vendors/${vendor.id}`, { status: 'unknown' })).status).toBe(403);
    expect((await post(agencyA.key, `/v1/cases/${id}/vendors/${vendor.id}`, { status: 'unknown' })).status).toBe(403);
    expect((await post(analyst.key, `/v1/cases/${id}/vendors/${vendor.id}`, { status: 'patched' })).status).toBe(400);
    const event = await waitFor(async () => (await caseEvents(id)).find((e) => e.type === 'gov.vantage.vuln.case.vendor-status-changed.v1' && (e.data as { status?: string }).status === 'fixed'));
    expect(event.data).toMatchObject({ vendorId: vendor.id, from: 'affected' });
  });

  it('answers 404 to a stranger on merge, split and vendor status, whether or not the case exists, and changes nothing', async () => {
    const a = await post(agencyA.key, '/v1/findings', finding('stranger_a'));
    env.clock.advance(1000);
    const b = await post(agencyA.key, '/v1/findings', finding('stranger_a'));
    const c = await post(agencyA.key, '/v1/findings', finding('stranger_c'));
    const vendor = (await post(analyst.key, '/v1/vendors', { name: 'Stranger Target', purlPrefixes: ['pkg:npm/libmerge'], contactUrl: 'https://t.example' })).body;
    await waitFor(async () => (await env.query('SELECT count(*)::int AS n FROM vuln.outbox WHERE sent_at IS NULL'))[0].n === 0);
    const before = await snapshot();
    const missing = '01900000-0000-7000-8000-0000000000ff';
    for (const id of [a.body.caseId, missing]) {
      expect((await post(stranger.key, `/v1/cases/${id}/merge`, { caseId: c.body.caseId, note: 'x' })).status).toBe(404);
      expect((await post(stranger.key, `/v1/cases/${id}/split`, { findingIds: [b.body.findingId], note: 'x' })).status).toBe(404);
      expect((await post(stranger.key, `/v1/cases/${id}/vendors/${vendor.id}`, { status: 'fixed' })).status).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });
});
