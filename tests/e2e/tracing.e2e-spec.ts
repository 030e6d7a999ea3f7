// Tracing on (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), with services as their own processes: one request's trace reaches
// an OTLP/HTTP receiver from both services it touched, as one tree — the gateway's server span, its Postgres queries,
// the request it sent over NATS, and the window scheduler's span answering it, a child of that request.
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { INTAKE } from '@vantage/apps/intake';
import { WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { issueApiKey } from '@vantage/crypto';
import { ServiceProcess, TestEnvironment, waitFor } from '@vantage/testing';
import { submissionBody } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(180_000);

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** An OTLP/HTTP (JSON) traces receiver: what a collector would be given. */
async function otlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const doc = JSON.parse(body);
      for (const rs of doc.resourceSpans ?? []) {
        const service = rs.resource.attributes.find((a: any) => a.key === 'service.name')?.value.stringValue;
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            const attributes = Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, Object.values(a.value)[0]]));
            spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, attributes });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('tracing with OpenTelemetry', () => {
  let env: TestEnvironment;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  const processes: ServiceProcess[] = [];
  const operatorKey = issueApiKey('trace-operator').key;
  let submitTrace = '';

  beforeAll(async () => {
    receiver = await otlpReceiver();
    env = await TestEnvironment.create(new Date().toISOString());
    for (const entry of [INTAKE, WINDOW_SCHEDULER]) await env.migrate(entry);
    const tracing = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: 100 };
    processes.push(await ServiceProcess.start(env, 'intake', { VANTAGE_BOOTSTRAP_OPERATOR_KEY: operatorKey, OUTBOUND_ALLOWED_HOSTS: 'api.acme.example', ...tracing }));
    processes.push(await ServiceProcess.start(env, 'window-scheduler', tracing));
  });
  afterAll(async () => {
    for (const p of processes) await p.stop();
    await env?.dispose();
    await receiver?.close();
  });

  it("exports one request's spans from every service it touched, as one tree, with its Postgres queries", async () => {
    const gateway = processes[0].url;
    const call = async (method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${gateway}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any, headers: res.headers };
    };
    const org = await call('POST', '/v1/orgs', operatorKey, { name: 'Traced Lab', kind: 'lab' });
    const key = (await call('POST', `/v1/orgs/${org.body.id}/keys`, operatorKey)).body.key;
    submitTrace = randomBytes(16).toString('hex');
    const submission = await call(
      'POST', '/v1/submissions', key, submissionBody({ plannedReleaseAt: new Date(Date.now() + 20 * 86_400_000).toISOString(), earliestAccessAt: undefined }),
      { traceparent: `00-${submitTrace}-${randomBytes(8).toString('hex')}-01` },
    );
    expect(submission.status).toBe(201);
    await waitFor(async () => (await call('GET', `/v1/submissions/${submission.body.id}/window`, key)).status === 200, { what: 'the window' });

    // The lab reads its window with a trace of its own: the gateway asks the scheduler over NATS.
    const traceId = randomBytes(16).toString('hex');
    const read = await call('GET', `/v1/submissions/${submission.body.id}/window`, key, undefined, { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
    expect(read.status).toBe(200);

    const spans = await waitFor(() => {
      const inTrace = receiver.spans.filter((s) => s.traceId === traceId);
      return inTrace.some((s) => s.service === 'window-scheduler') && inTrace.some((s) => s.name.startsWith('GET ')) ? inTrace : undefined;
    }, { what: "the request's spans from both services", timeoutMs: 30_000 });
    const server = spans.find((s) => s.service === 'intake' && s.name === 'GET /v1/submissions/:id/window')!;
    const sent = spans.find((s) => s.service === 'intake' && s.name === 'window.get-window send')!;
    const answered = spans.find((s) => s.service === 'window-scheduler' && s.name === 'window.get-window process')!;
    expect(server).toBeDefined();
    expect(sent.parentSpanId).toBe(server.spanId);
    expect(answered.parentSpanId).toBe(sent.spanId);
    expect(answered.attributes['vantage.caller.service']).toBe('intake');
    // The gateway checked the key and the scheduler read the window in Postgres, within this trace (pg instrumentation).
    expect(spans.filter((s) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql').map((s) => s.service)).toContain('window-scheduler');
  });

  it("continues the submission's trace in the consumer that opens its window, through the event", async () => {
    // The POST of the first test carried its own trace; its event reached the scheduler's consumer (a CONSUMER span,
    // kind 5 in OTLP), which is a child of the gateway's span that wrote the event.
    const consumed = await waitFor(
      () => receiver.spans.find((x) => x.traceId === submitTrace && x.service === 'window-scheduler' && x.kind === 5),
      { what: "the scheduler's consumer span in the submission's trace", timeoutMs: 30_000 },
    );
    const post = receiver.spans.find((s) => s.traceId === submitTrace && s.service === 'intake' && s.name === 'POST /v1/submissions');
    expect(post).toBeDefined();
    expect(consumed.parentSpanId).toBe(post!.spanId);
    expect(consumed.name).toMatch(/^gov\.vantage\.intake\..+ process$/);
    expect(consumed.attributes['messaging.message.id']).toEqual(expect.any(String));
    expect(consumed.attributes['messaging.consumer.group.name']).toMatch(/window/);
  });
});
