// A caller's identity on request-reply cannot be forged: every request carries a token signed by the sending
// service, bound to the receiving service, the subject and the body, short-lived and single-use; the receiver checks
// it before anything else, and admits only the senders the contract names. Requests are made here on a connection
// with every bus right, as someone who got onto the bus would, so that only the signature stands in the way.
import { headers as natsHeaders, JSONCodec, NatsConnection } from 'nats';
import { GetSubmissionEndpoint, GetWindow } from '@vantage/contracts';
import { CALLER_TOKEN_HEADER, newIdentitySeed, ServiceDirectory, ServiceIdentity, signCallerToken } from '@vantage/crypto';
import { openReply, replyContext, requestContext } from '@vantage/messaging';
import { AppModule as WindowSchedulerModule, loadWindowSchedulerConfig, WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { TestEnvironment } from '@vantage/testing';
import { Gateway, LAB_SECRET } from '../../apps/intake/test/gateway-fixture';

jest.setTimeout(90_000);

const codec = JSONCodec<any>();

describe('signed callers on request-reply', () => {
  let env: TestEnvironment;
  let gw: Gateway;
  let nc: NatsConnection;
  let gateway: ServiceIdentity;
  let runner: ServiceIdentity;
  let directory: ServiceDirectory;
  let submissionId: string;
  let agency: { id: string };

  const subjectOf = (definition: { subject(prefix: string): string }) => definition.subject(env.prefix);

  /**
   * Sends a request as raw bytes with the given token (or none), as anyone on the bus could, and reads the answer:
   * sealed to `asker` (who signed), or a plain refusal given before the asker was known.
   */
  async function send(subject: string, payload: Uint8Array, token?: string, asker: ServiceIdentity = gateway): Promise<any> {
    const h = natsHeaders();
    if (token) h.set(CALLER_TOKEN_HEADER, token);
    const text = new TextDecoder().decode((await nc.request(subject, payload, { timeout: 5000, headers: h })).data);
    return openReply(asker, text, replyContext(subject, payload)).catch((e) => ({ unreadable: (e as Error).message }));
  }

  /** A request body sealed to the service that answers it, as RpcClient sends it. */
  const sealed = async (service: string, subject: string, data: unknown) =>
    new TextEncoder().encode(await directory.sealTo(service, JSON.stringify({ data }), requestContext(subject)));
  const windowRequest = (id = submissionId) => sealed('window-scheduler', subjectOf(GetWindow), { submissionId: id });
  const asAgency = () => ({ id: agency.id, kind: 'agency', clearance: 'secret' });
  const tokenFor = (identity: ServiceIdentity, payload: Uint8Array, over: { audience?: string; subject?: string; organisation?: any; now?: number } = {}) =>
    signCallerToken(
      identity,
      { audience: over.audience ?? 'window-scheduler', subject: over.subject ?? subjectOf(GetWindow), payload, ...('organisation' in over ? { organisation: over.organisation } : { organisation: asAgency() }) },
      { now: over.now },
    );
  const refusedBecause = (reply: any, reason: RegExp) => {
    expect(reply).toMatchObject({ ok: false, error: { code: 'caller_not_verified', status: 401 } });
    expect(reply.error.message).toMatch(reason);
  };

  beforeAll(async () => {
    env = await TestEnvironment.create(new Date().toISOString());
    gw = await Gateway.start(env);
    await env.migrate(WINDOW_SCHEDULER);
    await env.start(WINDOW_SCHEDULER, { loadConfig: (e) => loadWindowSchedulerConfig(e), module: (c, o) => WindowSchedulerModule.forRoot(c, o) });
    nc = await env.nats();
    [gateway, runner] = await Promise.all([env.identityOf('intake'), env.identityOf('benchmark-runner')]);
    directory = ServiceDirectory.parse(env.serviceKeys);
    const lab = await gw.organisation('lab', 'Signed Lab');
    agency = await gw.organisation('agency', 'Signed Agency', 'secret');
    submissionId = await gw.submit(lab.key, env.clock.now());
  });
  afterAll(() => env?.dispose());

  it("answers a request the gateway signed for an organisation", async () => {
    const payload = await windowRequest();
    const reply = await send(subjectOf(GetWindow), payload, await tokenFor(gateway, payload));
    // The agency holds no grant on this window: the scheduler judged the verified agency, not an anonymous caller.
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_found', status: 404 } });
  });

  it('refuses a request with no token, naming why', async () => {
    refusedBecause(await send(subjectOf(GetWindow), await windowRequest()), /no signed caller/);
  });

  it('refuses a token signed by a key no service has (a forged gateway)', async () => {
    const forger = await ServiceIdentity.fromSeed('intake', newIdentitySeed());
    const payload = await windowRequest();
    refusedBecause(await send(subjectOf(GetWindow), payload, await tokenFor(forger, payload, { organisation: { id: agency.id, kind: 'operator' } })), /does not verify/);
  });

  it('refuses a request whose body is not sealed to the answering service', async () => {
    const plain = codec.encode({ data: { submissionId } });
    expect(await send(subjectOf(GetWindow), plain, await tokenFor(gateway, plain))).toMatchObject({ ok: false, error: { code: 'request_not_sealed', status: 400 } });
    const toAnother = await sealed('notifier', subjectOf(GetWindow), { submissionId });
    expect(await send(subjectOf(GetWindow), toAnother, await tokenFor(gateway, toAnother))).toMatchObject({ ok: false, error: { code: 'request_not_sealed' } });
  });

  it('refuses the same signed request sent again (a replay)', async () => {
    const payload = await windowRequest();
    const token = await tokenFor(gateway, payload);
    expect((await send(subjectOf(GetWindow), payload, token)).error?.code).not.toBe('caller_not_verified');
    refusedBecause(await send(subjectOf(GetWindow), payload, token), /already used/);
  });

  it('refuses a token moved to another body, another subject or another service', async () => {
    const payload = await windowRequest();
    const token = await tokenFor(gateway, payload);
    refusedBecause(await send(subjectOf(GetWindow), await windowRequest('0192f0a0-0000-7000-8000-00000000dead'), token), /another request body/);
    const forList = await tokenFor(gateway, payload, { subject: `${env.prefix}.rpc.window.list-windows` });
    refusedBecause(await send(subjectOf(GetWindow), payload, forList), /another subject/);
    const forNotifier = await tokenFor(gateway, payload, { audience: 'notifier' });
    refusedBecause(await send(subjectOf(GetWindow), payload, forNotifier), /aud/);
  });

  it('refuses an expired token', async () => {
    const payload = await windowRequest();
    refusedBecause(await send(subjectOf(GetWindow), payload, await tokenFor(gateway, payload, { now: Date.now() - 120_000 })), /expired/);
  });

  it('refuses a service other than the gateway acting for an organisation, and a service acting as itself where the contract wants an organisation', async () => {
    const payload = await windowRequest();
    refusedBecause(await send(subjectOf(GetWindow), payload, await tokenFor(runner, payload, { organisation: { id: agency.id, kind: 'operator' } })), /only the gateway/);
    refusedBecause(await send(subjectOf(GetWindow), payload, await tokenFor(runner, payload, { organisation: undefined })), /only the gateway/);
  });

  it("hands a lab's credential only to the runner, in an answer only the runner can open", async () => {
    const subject = subjectOf(GetSubmissionEndpoint);
    const payload = await sealed('intake', subject, { submissionId });
    const sign = (identity: ServiceIdentity) => signCallerToken(identity, { audience: 'intake', subject, payload });
    refusedBecause(await send(subject, payload, await sign(gateway)), /may not send this request/);
    // The same body, signed by the runner: the answer is sealed to the runner, whose key alone opens it.
    const answer = await send(subject, payload, await sign(runner), runner);
    expect(answer.ok).toBe(true);
    expect(answer.value).toMatchObject({ submissionId, modelId: 'acme-frontier-2026-12', status: 'active' });
    expect(answer.value.apiKey).toBe(LAB_SECRET);
    // The answer, as it crossed the bus, was sealed to the runner: another service's key cannot read it.
    expect(await send(subject, payload, await sign(runner), gateway)).toMatchObject({ unreadable: expect.stringMatching(/could not be opened/) });
    // Through the runner's own RpcClient, as the runner asks.
    const viaClient = await (await env.rpcClientAs('benchmark-runner')).request(GetSubmissionEndpoint, { submissionId });
    expect(viaClient.apiKey).toBe(LAB_SECRET);
  });
});
