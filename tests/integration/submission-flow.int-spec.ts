// The first flow through the backbone: intake stores a submission and records `submission.received`
// in its outbox; the relay publishes it; window-scheduler consumes it and stores its own copy.
import { DataSource } from 'typeorm';
import { SubmissionReceived } from '@vantage/contracts';
import { readEvents, TestEnvironment, waitFor } from '@vantage/testing';
import {
  AppModule as IntakeModule, CreateOrganisationUseCase, INTAKE, loadIntakeConfig, ReceiveSubmissionUseCase,
} from '@vantage/apps/intake';
import { AppModule as SchedulerModule, loadWindowSchedulerConfig, WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';

jest.setTimeout(60_000);

describe('submission.received from intake to window-scheduler', () => {
  let env: TestEnvironment;
  let labId: string;
  let agencyId: string;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await env.migrate(INTAKE);
    await env.migrate(WINDOW_SCHEDULER);
    const intake = await startIntake();
    const orgs = intake.app.get(CreateOrganisationUseCase);
    const create = (command: Parameters<typeof orgs.execute>[0]) => intake.app.get(DataSource).transaction((tx) => orgs.execute(command, tx));
    labId = (await create({ name: 'Acme AI', kind: 'lab' })).id;
    agencyId = (await create({ name: 'Agency A', kind: 'agency', clearance: 'secret' })).id;
    await intake.close();
  });
  afterAll(() => env?.dispose());

  // The lab endpoint below is on loopback, over plain http: admitted as on a developer's machine.
  const startIntake = (overrides: Record<string, unknown> = {}) =>
    env.start(INTAKE, { loadConfig: (e) => loadIntakeConfig(e), module: (c, o) => IntakeModule.forRoot(c, o), overrides: { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', ...overrides } });
  const startScheduler = () =>
    env.start(WINDOW_SCHEDULER, { loadConfig: (e) => loadWindowSchedulerConfig(e), module: (c, o) => SchedulerModule.forRoot(c, o) });

  const command = (name: string) => ({
    caller: { orgId: labId, kind: 'lab' as const },
    model: { name, version: '2026-12' },
    plannedReleaseAt: new Date('2026-12-20T00:00:00Z'),
    endpoint: { baseUrl: 'http://127.0.0.1:9/v1', modelId: 'acme-frontier-2026-12', apiKey: 'sk-test-never-shown' },
    agencies: [agencyId],
  });
  /** The use case in a transaction of its own, as the gateway's POST /v1/submissions runs it. */
  const receive = (intake: Awaited<ReturnType<typeof startIntake>>, c: ReturnType<typeof command>) =>
    intake.app.get(DataSource).transaction((tx) => intake.app.get(ReceiveSubmissionUseCase).execute(c, tx));
  const schedulerCopy = (id: string) => env.query('SELECT * FROM "window".submissions WHERE submission_id = $1', [id]);
  const publishedFor = async (id: string) =>
    (await readEvents(await env.nats(), env.streamName('intake'))).filter((e) => e.subject === id);

  it('stores the submission, publishes submission.received with its audience, and the scheduler keeps a copy', async () => {
    const intake = await startIntake();
    const scheduler = await startScheduler();
    try {
      const submission = await receive(intake, command('acme-frontier'));
      const [copy] = await waitFor(async () => {
        const rows = await schedulerCopy(submission.id);
        return rows.length ? rows : undefined;
      }, { what: "the scheduler's copy" });
      expect(copy).toMatchObject({ lab_id: labId, agencies: [agencyId] });
      expect(new Date(copy.planned_release_at).toISOString()).toBe('2026-12-20T00:00:00.000Z');
      const [event] = await publishedFor(submission.id);
      expect(event).toMatchObject({
        type: SubmissionReceived.type,
        source: 'intake',
        subject: submission.id,
        time: '2026-11-26T12:00:00.000Z',
        audience: `org:${labId} role:operator`,
        data: { submissionId: submission.id, labId, model: { name: 'acme-frontier', version: '2026-12' } },
      });
      const [outbox] = await env.query('SELECT sent_at FROM intake.outbox WHERE event_id = $1', [event.id]);
      expect(outbox.sent_at).not.toBeNull();
    } finally {
      await intake.close();
      await scheduler.close();
    }
  });

  it('publishes an event whose producer died between commit and publish once it restarts, with one effect', async () => {
    const scheduler = await startScheduler();
    // A producer whose relay never runs stands for one killed right after its commit.
    const dying = await startIntake({ OUTBOX_RELAY_ENABLED: false });
    const submission = await receive(dying, command('killed-before-publish'));
    await dying.close();
    try {
      expect(await env.query('SELECT id FROM intake.submissions WHERE id = $1', [submission.id])).toHaveLength(1);
      const [pending] = await env.query('SELECT sent_at FROM intake.outbox WHERE envelope->>\'subject\' = $1', [submission.id]);
      expect(pending.sent_at).toBeNull();
      expect(await publishedFor(submission.id)).toHaveLength(0);
      expect(await schedulerCopy(submission.id)).toHaveLength(0);

      const restarted = await startIntake();
      try {
        await waitFor(async () => (await schedulerCopy(submission.id)).length === 1, { what: 'the copy after restart' });
        expect(await publishedFor(submission.id)).toHaveLength(1);
      } finally {
        await restarted.close();
      }
    } finally {
      await scheduler.close();
    }
  });

  it('publishes once and applies once when the producer died after publishing but before marking the row sent', async () => {
    const intake = await startIntake();
    const scheduler = await startScheduler();
    try {
      const submission = await receive(intake, command('killed-after-publish'));
      await waitFor(async () => (await schedulerCopy(submission.id)).length === 1);
      await intake.close();
      // As if the relay's "mark sent" never committed: the row is pending again and will be re-published.
      await env.query(`UPDATE intake.outbox SET sent_at = NULL WHERE envelope->>'subject' = $1`, [submission.id]);
      const restarted = await startIntake();
      try {
        await waitFor(async () => {
          const [row] = await env.query(`SELECT sent_at FROM intake.outbox WHERE envelope->>'subject' = $1`, [submission.id]);
          return row.sent_at !== null;
        }, { what: 'the re-publish' });
        // JetStream dropped the copy by its Nats-Msg-Id; the inbox would have caught it otherwise.
        expect(await publishedFor(submission.id)).toHaveLength(1);
        expect(await schedulerCopy(submission.id)).toHaveLength(1);
      } finally {
        await restarted.close();
      }
    } finally {
      await scheduler.close();
    }
  });

  it('publishes nothing for a change that was refused', async () => {
    const intake = await startIntake();
    try {
      const before = (await readEvents(await env.nats(), env.streamName('intake'))).length;
      await expect(
        receive(intake, { ...command('late'), plannedReleaseAt: new Date('2026-01-01T00:00:00Z') }),
      ).rejects.toMatchObject({ code: 'submission_rejected', status: 422, errors: [{ field: 'plannedReleaseAt', message: 'must be in the future' }] });
      expect(await env.query("SELECT id FROM intake.submissions WHERE model_name = 'late'")).toHaveLength(0);
      expect(await env.query("SELECT seq FROM intake.outbox WHERE envelope->'data'->'model'->>'name' = 'late'")).toHaveLength(0);
      expect((await readEvents(await env.nats(), env.streamName('intake'))).length).toBe(before);
    } finally {
      await intake.close();
    }
  });
});
