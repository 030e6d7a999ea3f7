// One trace from an HTTP request at the gateway, through the outbox and JetStream, to the log lines of
// the handler in another service.
import { randomBytes } from 'node:crypto';
import { AppModule as SchedulerModule, loadWindowSchedulerConfig, WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { readEvents, TestEnvironment, waitFor } from '@vantage/testing';
import { Gateway, submissionBody } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(60_000);

describe('trace and correlation ids', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await TestEnvironment.create('2026-11-26T12:00:00Z');
    await env.migrate(WINDOW_SCHEDULER);
  });
  afterAll(() => env?.dispose());

  it('travel from the HTTP request to the event and to the downstream handler’s log lines', async () => {
    const gw = await Gateway.start(env);
    const lab = await gw.organisation('lab');
    const scheduler = await env.start(WINDOW_SCHEDULER, {
      loadConfig: (e) => loadWindowSchedulerConfig(e),
      module: (c, o) => SchedulerModule.forRoot(c, o),
    });
    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const created = await gw.call('POST', '/v1/submissions', {
      key: lab.key,
      body: submissionBody(),
      headers: { traceparent, 'x-correlation-id': 'corr-4711' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('traceparent')).toContain(traceId);

    const [event] = await waitFor(async () => {
      const events = (await readEvents(await env.nats(), env.streamName('intake'))).filter((e) => e.subject === created.body.id);
      return events.length ? events : undefined;
    });
    expect(event.traceparent).toContain(traceId);
    expect(event.correlationid).toBe('corr-4711');

    // Several apps in one process share pino's process-wide logger for lines written outside a request,
    // so the handler's line may land in either capture; its context names the scheduler's handler.
    const line = await waitFor(() =>
      [...scheduler.logs.entries(), ...gw.service.logs.entries()].find(
        (l) => l.msg === 'recorded submission' && l.submissionId === created.body.id,
      ),
    );
    expect(line).toMatchObject({ traceId, correlationId: 'corr-4711', context: 'WindowsHandlers' });
  });
});
