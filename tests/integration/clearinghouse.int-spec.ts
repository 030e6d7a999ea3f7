// The clearinghouse through the gateway: findings scored and deduplicated into cases, the workflow with its
// history, need-to-know, vendors, embargo deadlines on durable timers, and advisories.
import {
  AppModule as VulnModule, loadVulnClearinghouseConfig, VULN_CLEARINGHOUSE,
} from '@vantage/apps/vuln-clearinghouse';
import { readEvents, referenceFile, RunningService, TestEnvironment, waitFor } from '@vantage/testing';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Gateway } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(90_000);

const DAY = 24 * 3600 * 1000;
const POC = 'curl -X POST --data-binary @overflow.bin http://target/parse  # secret-poc-6d1f';

function finding(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Heap overflow in libfoo parse_header',
    description: 'A long header overflows a fixed buffer.',
    affected: [{ purl: 'pkg:npm/libfoo', versions: { introduced: '1.2.0', fixed: '1.4.1' } }],
    cwe: 'CWE-122',
    cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    location: { file: 'src/parse.c', function: 'parse_header' },
    proofOfConcept: POC,
    discoveredWith: { model: 'acme-frontier-2026-12', tool: 'fuzz-harness' },
    exploitedInWild: false,
    ...overrides,
  };
}

describe('the clearinghouse', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let vuln: RunningService;
  let agencyA: { id: string; key: string };
  let agencyB: { id: string; key: string };
  let unrelated: { id: string; key: string };
  let analyst: { id: string; key: string };

  const startVuln = () =>
    env.start(VULN_CLEARINGHOUSE, {
      loadConfig: (e) => loadVulnClearinghouseConfig(e), module: (c, o) => VulnModule.forRoot(c, o), overrides: { TIMER_POLL_MS: 50 },
    });

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await env.migrate(VULN_CLEARINGHOUSE);
    gw = await Gateway.start(env);
    vuln = await startVuln();
    agencyA = await gw.organisation('agency', 'Agency A', 'secret');
    agencyB = await gw.organisation('agency', 'Agency B', 'unclassified');
    unrelated = await gw.organisation('agency', 'Unrelated', 'secret');
    analyst = await gw.organisation('clearinghouse', 'Analysts');
  });
  afterAll(async () => {
    await vuln?.close();
    await env?.dispose();
  });

  const post = (key: string, path: string, body: unknown) => gw.call('POST', path, { key, body });
  const caseEvents = async (caseId: string) => (await readEvents(await env.nats(), env.streamName('vuln'))).filter((e) => e.subject === caseId);

  it('joins two reports of the same bug into one case with two finders, and links a different function as related', async () => {
    const first = await post(agencyA.key, '/v1/findings', finding());
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, severity: { version: '4.0', baseScore: 9.3, baseSeverity: 'CRITICAL' } });
    env.clock.advance(60_000);
    const second = await post(agencyB.key, '/v1/findings', finding({ affected: [{ purl: 'pkg:NPM/libfoo@1.3.0' }] }));
    expect(second.body).toMatchObject({ duplicate: true, caseId: first.body.caseId });
    const elsewhere = await post(agencyB.key, '/v1/findings', finding({ location: { file: 'src/parse.c', function: 'parse_body' } }));
    expect(elsewhere.body.duplicate).toBe(false);
    expect(elsewhere.body.caseId).not.toBe(first.body.caseId);

    const c = await gw.call('GET', `/v1/cases/${first.body.caseId}`, { key: analyst.key });
    expect(c.status).toBe(200);
    expect(c.body.findings.map((f: any) => f.reporterOrgId)).toEqual([agencyA.id, agencyB.id]);
    expect(c.body.relatedCaseIds).toEqual([elsewhere.body.caseId]);
    expect(c.body.deadlineAt).toBe(new Date(Date.parse('2026-11-26T12:00:00Z') + 90 * DAY).toISOString());
    expect(JSON.stringify(c.body)).not.toContain('secret-poc');
    const [row] = await env.query('SELECT proof_of_concept FROM vuln.findings WHERE id = $1', [first.body.findingId]);
    expect(row.proof_of_concept).not.toContain('secret-poc');
    const events = await waitFor(async () => {
      const e = await caseEvents(first.body.caseId);
      return e.length >= 2 ? e : undefined;
    });
    expect(events.map((e) => e.type)).toEqual(['gov.vantage.vuln.case.opened.v1', 'gov.vantage.vuln.case.duplicate-found.v1']);
    expect(JSON.stringify(events)).not.toContain('secret-poc');
  });

  it('answers a repeated finding with the same Idempotency-Key with the first answer, and records it once', async () => {
    const body = finding({ location: { file: 'src/retry.c', function: 'again' } });
    const headers = { 'idempotency-key': 'finding-retry-1' };
    const first = await gw.call('POST', '/v1/findings', { key: agencyA.key, body, headers });
    expect(first.status).toBe(201);
    const [again, concurrent] = await Promise.all([
      gw.call('POST', '/v1/findings', { key: agencyA.key, body, headers }),
      gw.call('POST', '/v1/findings', { key: agencyA.key, body, headers }),
    ]);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(concurrent).toMatchObject({ status: 201, body: first.body });
    const c = await gw.call('GET', `/v1/cases/${first.body.caseId}`, { key: analyst.key });
    expect(c.body.findings).toHaveLength(1);
    expect((await caseEvents(first.body.caseId)).filter((e) => e.type.includes('duplicate-found'))).toHaveLength(0);

    const other = await gw.call('POST', '/v1/findings', { key: agencyA.key, body: { ...body, title: 'Another title' }, headers });
    expect(other).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
    // Keys belong to the organisation: another one may use the same key for its own report.
    const elsewhere = await gw.call('POST', '/v1/findings', { key: agencyB.key, body, headers });
    expect(elsewhere).toMatchObject({ status: 201, body: { duplicate: true, caseId: first.body.caseId } });
  });

  it('refuses illegal workflow moves without changing anything, and records each legal move in the history', async () => {
    const f = await post(agencyA.key, '/v1/findings', finding({ location: { file: 'src/a.c', function: 'workflow' } }));
    const id = f.body.caseId;
    const illegal = await post(analyst.key, `/v1/cases/${id}/transitions`, { to: 'disclosed', note: 'too early' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.code).toBe('illegal_transition');
    expect((await post(agencyA.key, `/v1/cases/${id}/transitions`, { to: 'triaged', note: 'not an analyst' })).status).toBe(403);
    expect((await gw.call('GET', `/v1/cases/${id}`, { key: analyst.key })).body.state).toBe('new');
    for (const to of ['triaged', 'vendor-notified', 'fix-available', 'disclosed']) {
      env.clock.advance(1000);
      const moved = await post(analyst.key, `/v1/cases/${id}/transitions`, { to, note: `moving to ${to}` });
      expect(moved.status).toBe(200);
    }
    const c = await gw.call('GET', `/v1/cases/${id}`, { key: analyst.key });
    expect(c.body.history.map((h: any) => [h.from, h.to, h.by])).toEqual([
      [null, 'new', agencyA.id],
      ['new', 'triaged', analyst.id],
      ['triaged', 'vendor-notified', analyst.id],
      ['vendor-notified', 'fix-available', analyst.id],
      ['fix-available', 'disclosed', analyst.id],
    ]);
    expect((await post(analyst.key, `/v1/cases/${id}/transitions`, { to: 'triaged', note: 'back' })).status).toBe(409);
  });

  it('hides a case and its advisory from an unrelated agency until it is disclosed', async () => {
    const f = await post(agencyA.key, '/v1/findings', finding({ location: { file: 'src/b.c', function: 'secret_case' } }));
    const id = f.body.caseId;
    expect((await gw.call('GET', `/v1/cases/${id}`, { key: unrelated.key })).status).toBe(404);
    expect((await gw.call('GET', `/v1/cases/${id}/advisory?format=osv`, { key: unrelated.key })).status).toBe(404);
    expect((await gw.call('GET', '/v1/cases', { key: unrelated.key })).body.items.map((c: any) => c.id)).not.toContain(id);
    expect((await gw.call('GET', `/v1/cases/${id}`, { key: agencyA.key })).status).toBe(200);
    for (const to of ['triaged', 'disclosed']) await post(analyst.key, `/v1/cases/${id}/transitions`, { to, note: to });
    expect((await gw.call('GET', `/v1/cases/${id}`, { key: unrelated.key })).status).toBe(200);
    const advisory = await gw.call('GET', `/v1/cases/${id}/advisory?format=osv`, { key: unrelated.key });
    expect(advisory.status).toBe(200);
    expect(advisory.text).not.toContain('secret-poc');
  });

  it('matches a vendor by purl prefix and notifies it when the case moves to vendor-notified', async () => {
    const vendorOrg = await gw.organisation('lab', 'Foo Corp (vendor)');
    const vendor = await post(analyst.key, '/v1/vendors', { name: 'Foo Corp', purlPrefixes: ['pkg:npm/vendored'], contactUrl: 'mailto:security@foo.example', orgId: vendorOrg.id });
    expect(vendor.status).toBe(201);
    const f = await post(agencyA.key, '/v1/findings', finding({ affected: [{ purl: 'pkg:npm/vendored-lib@2.0.0' }], location: { file: 'x.c', function: 'v' } }));
    const id = f.body.caseId;
    expect((await gw.call('GET', `/v1/cases/${id}`, { key: vendorOrg.key })).body.vendors).toEqual([{ id: vendor.body.id, name: 'Foo Corp', status: 'unknown' }]);
    await post(analyst.key, `/v1/cases/${id}/transitions`, { to: 'triaged', note: 'real' });
    await post(analyst.key, `/v1/cases/${id}/transitions`, { to: 'vendor-notified', note: 'told Foo' });
    const notified = await waitFor(async () => (await caseEvents(id)).find((e) => e.type.includes('vendor-notified')));
    expect(notified.audience).toContain(`org:${vendorOrg.id}`);
    expect(notified.data).toMatchObject({ vendorId: vendor.body.id, vendorName: 'Foo Corp' });
  });

  it('fires the embargo reminders and the deadline once each, on time, and after a restart', async () => {
    const f = await post(agencyA.key, '/v1/findings', finding({ exploitedInWild: true, location: { file: 'z.c', function: 'itw' } }));
    const id = f.body.caseId;
    const c = await gw.call('GET', `/v1/cases/${id}`, { key: analyst.key });
    expect(new Date(c.body.deadlineAt).getTime() - new Date(c.body.reportedAt).getTime()).toBe(7 * DAY);
    const kinds = async () => (await caseEvents(id)).map((e) => e.type.replace('gov.vantage.vuln.case.', '').replace('.v1', ''));
    env.clock.advance(6 * DAY);
    await waitFor(async () => (await kinds()).includes('deadline-approaching'));
    expect((await kinds()).filter((k) => k === 'deadline-approaching')).toHaveLength(1);
    await vuln.close();
    env.clock.advance(2 * DAY); // past the deadline while the service is down
    vuln = await startVuln();
    await waitFor(async () => (await kinds()).includes('deadline-reached'), { what: 'the deadline after the restart' });
    const all = await kinds();
    expect(all.filter((k) => k === 'deadline-reached')).toHaveLength(1);
    expect(all.filter((k) => k === 'deadline-approaching')).toHaveLength(1);
  });

  it('exports a disclosed case with purl, CPE and vendor+product products as valid OSV, CSAF 2.0 and CVE JSON 5', async () => {
    const f = await post(agencyA.key, '/v1/findings', finding({
      location: { file: 'src/all.c', function: 'three_products' },
      affected: [
        { purl: 'pkg:npm/libfoo', versions: { introduced: '1.2.0', fixed: '1.4.1' } },
        { cpe: 'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*', versions: { lastAffected: '2.0' } },
        { vendor: 'Acme', product: 'Gadget OS' },
      ],
    }));
    const id = f.body.caseId;
    for (const to of ['triaged', 'vendor-notified', 'fix-available', 'disclosed']) await post(analyst.key, `/v1/cases/${id}/transitions`, { to, note: to });
    const [osv, csaf, cve] = await Promise.all(['osv', 'csaf', 'cve'].map((format) => gw.call('GET', `/v1/cases/${id}/advisory?format=${format}`, { key: unrelated.key })));
    for (const a of [osv, csaf, cve]) {
      expect(a.status).toBe(200);
      expect(a.text).toContain('acme-frontier-2026-12');
      expect(a.text).not.toContain('secret-poc');
    }
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validOsv = ajv.compile(JSON.parse(readFileSync(referenceFile('osv', 'schema.json'), 'utf8')));
    expect(validOsv(osv.body) ? [] : validOsv.errors).toEqual([]);
    const run = spawnSync(process.execPath, [path.resolve(__dirname, '../../apps/vuln-clearinghouse/src/standards/csaf-validator.testing.mjs')], {
      input: JSON.stringify({ documents: [csaf.body], cweIds: [] }), encoding: 'utf8', timeout: 60_000,
    });
    expect(run.status).toBe(0);
    const [result] = JSON.parse(run.stdout).results;
    expect(result.tests.filter((t: any) => !t.isValid || t.errors.length)).toEqual([]);
    expect(result.isValid).toBe(true);
    expect(cve.body).toMatchObject({ dataType: 'CVE_RECORD', containers: { cna: { affected: expect.any(Array), problemTypes: expect.any(Array), metrics: expect.any(Array) } } });
    expect(cve.body.containers.cna.affected).toHaveLength(3);
  });

  describe('malformed findings', () => {
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['bad purl', { affected: [{ purl: 'npm/libfoo' }] }, 422, 'affected[0].purl'],
      ['bad CPE', { affected: [{ cpe: 'cpe:2.3:x:acme' }] }, 422, 'affected[0].cpe'],
      ['two product forms', { affected: [{ purl: 'pkg:npm/a', vendor: 'V', product: 'P' }] }, 422, 'affected[0]'],
      ['bad CVSS vector', { cvssVector: 'CVSS:3.1/AV:N/AC:L' }, 422, 'cvssVector'],
      ['CVSS 3.0 vector', { cvssVector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, 422, 'cvssVector'],
      ['unknown CWE form', { cwe: 'CWE122' }, 422, 'cwe'],
      ['oversize proof of concept', { proofOfConcept: 'x'.repeat(300 * 1024) }, 400, 'proofOfConcept'],
      ['no affected products', { affected: [] }, 400, 'affected'],
      ['extra field', { approved: true }, 400, 'approved'],
    ];
    it.each(cases)('%s → %p naming the field, nothing written', async (_n, overrides, status, field) => {
      const before = await env.query('SELECT (SELECT count(*) FROM vuln.findings)::int AS f, (SELECT count(*) FROM vuln.cases)::int AS c');
      const answer = await post(agencyA.key, '/v1/findings', finding(overrides));
      expect(answer.status).toBe(status);
      expect(answer.body.errors.map((e: any) => e.field)).toContain(field);
      expect(await env.query('SELECT (SELECT count(*) FROM vuln.findings)::int AS f, (SELECT count(*) FROM vuln.cases)::int AS c')).toEqual(before);
    });
  });
});
