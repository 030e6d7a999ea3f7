// Access windows end to end in one process: the gateway takes the lab's moves, the scheduler keeps the
// windows with durable timers driven by a controllable clock, and the gateway answers window queries.
import { AppModule as SchedulerModule, loadWindowSchedulerConfig, WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { EventEnvelope } from '@vantage/contracts';
import { readEvents, RunningService, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, submissionBody } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(90_000);

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

describe('access windows, grants and timers', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let lab: { id: string; key: string };
  let agencyA: { id: string; key: string };
  let agencyB: { id: string; key: string };
  let outsider: { id: string; key: string };

  const startScheduler = () =>
    env.start(WINDOW_SCHEDULER, {
      loadConfig: (e) => loadWindowSchedulerConfig(e),
      module: (c, o) => SchedulerModule.forRoot(c, o),
      overrides: { TIMER_POLL_MS: 50 },
    });

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await env.migrate(WINDOW_SCHEDULER);
    gw = await Gateway.start(env);
    lab = await gw.organisation('lab', 'Acme AI');
    agencyA = await gw.organisation('agency', 'Agency A', 'secret');
    agencyB = await gw.organisation('agency', 'Agency B', 'unclassified');
    outsider = await gw.organisation('agency', 'Not consented', 'secret');
  });
  afterAll(() => env?.dispose());

  const windowEvents = async (submissionId: string) =>
    (await readEvents(await env.nats(), env.streamName('window'))).filter((e) => e.subject === submissionId) as EventEnvelope<any>[];
  const typesOf = (events: EventEnvelope<any>[]) => events.map((e) => e.type.replace('gov.vantage.window.', '').replace('.v1', ''));
  const windowOf = (id: string, key: string) => gw.call('GET', `/v1/submissions/${id}/window`, { key });
  const submit = async (body: Record<string, unknown>) => {
    const created = await gw.call('POST', '/v1/submissions', { key: lab.key, body: submissionBody(body) });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  it('opens with a grant per consenting agency, warns before the close, closes at the release and revokes every grant', async () => {
    const scheduler = await startScheduler();
    try {
      // Release in 10 days: the window opens now and closes at the release.
      const release = new Date(env.clock.nowMs() + 10 * DAY).toISOString();
      const id = await submit({ plannedReleaseAt: release, earliestAccessAt: undefined, agencies: [agencyA.id, agencyB.id] });
      const opened = await waitFor(async () => {
        const w = await windowOf(id, lab.key);
        return w.status === 200 && w.body.state === 'open' ? w.body : undefined;
      }, { what: 'the window to open' });
      expect(opened).toMatchObject({ opensAt: env.clock.now().toISOString(), closesAt: new Date(release).toISOString() });
      expect(opened.grants).toEqual(expect.arrayContaining([{ agencyId: agencyA.id, state: 'active' }, { agencyId: agencyB.id, state: 'active' }]));

      // Agency A sees the window (its own grant only); the non-consenting agency does not.
      const asA = await windowOf(id, agencyA.key);
      expect(asA.status).toBe(200);
      expect(asA.body.grants).toEqual([{ agencyId: agencyA.id, state: 'active' }]);
      expect((await windowOf(id, outsider.key)).status).toBe(404);
      const openForA = await gw.call('GET', '/v1/windows?state=open', { key: agencyA.key });
      expect(openForA.body.items.map((w: any) => w.submissionId)).toContain(id);
      expect((await gw.call('GET', '/v1/windows?state=open', { key: outsider.key })).body.items).toEqual([]);

      env.clock.advance(9 * DAY + 1);
      await waitFor(async () => typesOf(await windowEvents(id)).includes('window.closing-soon'), { what: 'closing-soon' });
      env.clock.advance(DAY);
      const closed = await waitFor(async () => {
        const w = await windowOf(id, lab.key);
        return w.body.state === 'closed' ? w.body : undefined;
      }, { what: 'the close' });
      expect(closed).toMatchObject({ closedReason: 'scheduled-end', closedAt: new Date(release).toISOString() });
      expect(closed.grants.every((g: any) => g.state === 'revoked')).toBe(true);

      // The state is read from the scheduler's tables; its events reach the stream through the outbox just after.
      const events = await waitFor(async () => {
        const e = await windowEvents(id);
        return e.length >= 8 ? e : undefined;
      }, { what: 'eight window events' });
      expect(typesOf(events)).toEqual([
        'window.scheduled', 'window.opened', 'grant.issued', 'grant.issued', 'window.closing-soon', 'window.closed', 'grant.revoked', 'grant.revoked',
      ]);
      const grantIssuedToA = events.find((e) => e.type.includes('grant.issued') && e.data.agencyId === agencyA.id)!;
      expect(grantIssuedToA.audience).toBe([`org:${agencyA.id}`, `org:${lab.id}`].sort().join(' ') + ' role:operator');
      const closedEvent = events.find((e) => e.type.includes('window.closed'))!;
      for (const org of [lab.id, agencyA.id, agencyB.id]) expect(closedEvent.audience).toContain(`org:${org}`);
      expect(closedEvent.audience).not.toContain(outsider.id);
    } finally {
      await scheduler.close();
    }
  });

  it('cancels a window not yet open when the lab withdraws, and closes an open one at once on release', async () => {
    const scheduler = await startScheduler();
    try {
      const later = await submit({ plannedReleaseAt: new Date(env.clock.nowMs() + 60 * DAY).toISOString(), earliestAccessAt: undefined });
      await waitFor(async () => (await windowOf(later, lab.key)).body?.state === 'scheduled');
      const w = (await windowOf(later, lab.key)).body;
      expect(new Date(w.closesAt).getTime() - new Date(w.opensAt).getTime()).toBe(30 * DAY);
      await gw.call('POST', `/v1/submissions/${later}/withdraw`, { key: lab.key });
      await waitFor(async () => (await windowOf(later, lab.key)).body?.state === 'cancelled', { what: 'the cancel' });
      expect((await windowOf(later, lab.key)).body.closedReason).toBe('withdrawn');

      const now = await submit({ plannedReleaseAt: new Date(env.clock.nowMs() + 5 * DAY).toISOString(), earliestAccessAt: undefined, agencies: [agencyA.id] });
      await waitFor(async () => (await windowOf(now, lab.key)).body?.state === 'open');
      await gw.call('POST', `/v1/submissions/${now}/release`, { key: lab.key, body: {} });
      const closed = await waitFor(async () => {
        const b = (await windowOf(now, lab.key)).body;
        return b?.state === 'closed' ? b : undefined;
      }, { what: 'the close on release' });
      expect(closed).toMatchObject({ closedReason: 'released', grants: [{ agencyId: agencyA.id, state: 'revoked' }] });
    } finally {
      await scheduler.close();
    }
  });

  it('moves the close of an open window when the lab reschedules, never past opensAt + 30 days', async () => {
    const scheduler = await startScheduler();
    try {
      const id = await submit({ plannedReleaseAt: new Date(env.clock.nowMs() + 5 * DAY).toISOString(), earliestAccessAt: undefined, agencies: [agencyA.id] });
      const open = await waitFor(async () => {
        const b = (await windowOf(id, lab.key)).body;
        return b?.state === 'open' ? b : undefined;
      });
      await gw.call('PATCH', `/v1/submissions/${id}`, { key: lab.key, body: { plannedReleaseAt: new Date(env.clock.nowMs() + 90 * DAY).toISOString() } });
      const moved = await waitFor(async () => {
        const b = (await windowOf(id, lab.key)).body;
        return b.closesAt !== open.closesAt ? b : undefined;
      }, { what: 'the new close' });
      expect(moved.opensAt).toBe(open.opensAt);
      expect(new Date(moved.closesAt).getTime()).toBe(new Date(open.opensAt).getTime() + 30 * DAY);
    } finally {
      await scheduler.close();
    }
  });

  it('fires each timer once with two scheduler replicas', async () => {
    const [one, two] = [await startScheduler(), await startScheduler()];
    try {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        ids.push(await submit({ plannedReleaseAt: new Date(env.clock.nowMs() + 3 * DAY).toISOString(), earliestAccessAt: new Date(env.clock.nowMs() + DAY).toISOString(), agencies: [agencyA.id] }));
      }
      for (const id of ids) await waitFor(async () => (await windowOf(id, lab.key)).body?.state === 'scheduled');
      env.clock.advance(DAY);
      for (const id of ids) await waitFor(async () => (await windowOf(id, lab.key)).body?.state === 'open', { what: `open ${id}` });
      env.clock.advance(2 * DAY);
      for (const id of ids) await waitFor(async () => (await windowOf(id, lab.key)).body?.state === 'closed', { what: `close ${id}` });
      for (const id of ids) {
        await waitFor(async () => typesOf(await windowEvents(id)).includes('window.closed'), { what: `the close event of ${id}` });
        const types = typesOf(await windowEvents(id));
        expect(types.filter((t) => t === 'window.opened')).toHaveLength(1);
        expect(types.filter((t) => t === 'grant.issued')).toHaveLength(1);
        expect(types.filter((t) => t === 'window.closing-soon')).toHaveLength(1);
        expect(types.filter((t) => t === 'window.closed')).toHaveLength(1);
      }
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('catches up timers missed while the scheduler was down, in order', async () => {
    let scheduler: RunningService = await startScheduler();
    const id = await submit({ plannedReleaseAt: new Date(env.clock.nowMs() + 4 * DAY).toISOString(), earliestAccessAt: new Date(env.clock.nowMs() + DAY).toISOString(), agencies: [agencyB.id] });
    await waitFor(async () => (await windowOf(id, lab.key)).body?.state === 'scheduled');
    await scheduler.close();
    env.clock.advance(10 * DAY); // past the open, the warning and the close
    scheduler = await startScheduler();
    try {
      await waitFor(async () => (await windowOf(id, lab.key)).body?.state === 'closed', { what: 'the catch-up' });
      await waitFor(async () => (await windowEvents(id)).length >= 6, { what: 'six window events' });
      expect(typesOf(await windowEvents(id))).toEqual([
        'window.scheduled', 'window.opened', 'grant.issued', 'window.closing-soon', 'window.closed', 'grant.revoked',
      ]);
      const closed = (await windowEvents(id)).find((e) => e.type.includes('window.closed'))!;
      expect(closed.data.closedAt).toBe(closed.data.closesAt);
    } finally {
      await scheduler.close();
    }
  });
});
