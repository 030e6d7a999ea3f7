// Nothing is trusted for being on the bus: on a real nats-server with Vantage's users, a connection without
// credentials (or with credentials the account does not know) is turned away, and a service's own user cannot
// publish, subscribe or request outside its rights: no forged events of another domain, no reading another service's
// requests or replies, no requests its contracts do not let it send, no touching streams it does not own or read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AckPolicy, connect, ErrorCode, NatsConnection, StringCodec } from 'nats';
import { AppModule as WindowSchedulerModule, loadWindowSchedulerConfig, WINDOW_SCHEDULER } from '@vantage/apps/window-scheduler';
import { DOMAINS, mayCall, RPC_CATALOGUE } from '@vantage/contracts';
import { adminCreds, createNatsTrust, natsConnectionOptions, serviceCreds } from '@vantage/messaging';
import { domainOf, SERVICE_NAMES, ServiceName } from '@vantage/persistence';
import { readStream, TestEnvironment } from '@vantage/testing';
import { serviceInboxPrefix } from '@vantage/messaging';
import { makeTls } from '../../apps/launcher/src/start/nats-auth';
import { refused, subscriptionRefused } from './nats-refusals';

jest.setTimeout(120_000);

const sc = StringCodec();

describe('the bus admits only authenticated users, each within its rights', () => {
  let env: TestEnvironment;
  const as: Partial<Record<ServiceName, NatsConnection>> = {};

  const connectAs = async (service: ServiceName) => {
    as[service] ??= await env.natsAs(await serviceCreds(env.natsTrust, service), { inboxPrefix: serviceInboxPrefix(service), name: service });
    return as[service]!;
  };

  beforeAll(async () => {
    env = await TestEnvironment.create();
  });
  afterAll(async () => {
    for (const nc of Object.values(as)) await nc?.close().catch(() => undefined);
    await env?.dispose();
  });

  it('turns away a connection without credentials, and one whose user another account signed', async () => {
    await expect(connect({ servers: env.natsUrl, timeout: 3000 })).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
    const stranger = createNatsTrust(env.prefix);
    await expect(env.natsAs(await adminCreds(stranger))).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
    // The same kind of user, signed by this deployment's keys, is let in.
    await (await env.natsAs(await adminCreds(env.natsTrust))).close();
  });

  it('refuses a forged grant from any service but the window scheduler, and stores nothing of it', async () => {
    const forged = sc.encode(JSON.stringify({ specversion: '1.0', type: 'gov.vantage.window.grant.issued.v1', data: { agencyId: 'attacker' } }));
    for (const service of SERVICE_NAMES.filter((s) => s !== 'window-scheduler')) {
      const nc = await connectAs(service);
      await refused(nc.request(`${env.prefix}.window.grant.issued`, forged, { timeout: 2000 }));
    }
    expect(await readStream(await env.nats(), env.streamName('window'))).toEqual([]);
  });

  it("refuses every service the events of every domain but its own", async () => {
    for (const service of SERVICE_NAMES) {
      const nc = await connectAs(service);
      for (const domain of DOMAINS.filter((d) => d !== domainOf(service))) {
        await refused(nc.request(`${env.prefix}.${domain}.any.thing`, sc.encode('{}'), { timeout: 2000 }));
      }
    }
  });

  it('lets a service send exactly the requests its contracts name it a caller of', async () => {
    for (const service of SERVICE_NAMES) {
      const nc = await connectAs(service);
      for (const rpc of RPC_CATALOGUE) {
        const attempt = nc.request(rpc.subject(env.prefix), sc.encode('{}'), { timeout: 2000 });
        if (mayCall(rpc, domainOf(service))) {
          // Allowed: no service answers in this test, so the server says there is no responder (not a violation).
          await expect(attempt).rejects.toMatchObject({ code: ErrorCode.NoResponders });
        } else {
          await refused(attempt);
        }
      }
    }
  });

  it("refuses listening in on another service's requests and on anyone's replies", async () => {
    const scheduler = await connectAs('window-scheduler');
    // The gateway's endpoint subject (where the lab's credential is asked for) and the runner's replies.
    await subscriptionRefused(scheduler, `${env.prefix}.rpc.intake.get-submission-endpoint`);
    await subscriptionRefused(scheduler, `${env.prefix}.rpc.>`);
    await subscriptionRefused(scheduler, '_INBOX.>');
    await subscriptionRefused(scheduler, `${serviceInboxPrefix('benchmark-runner')}.>`);
    await subscriptionRefused(scheduler, `${env.prefix}.>`);
    await subscriptionRefused(scheduler, '>');
  });

  it('refuses a service the streams it neither owns nor reads', async () => {
    const clearinghouse = await connectAs('vuln-clearinghouse');
    const jsm = await clearinghouse.jetstreamManager({ timeout: 2000, checkAPI: false });
    const intake = env.streamName('intake');
    await refused(jsm.consumers.add(intake, { durable_name: 'snoop', filter_subject: `${env.prefix}.intake.>`, ack_policy: AckPolicy.Explicit }));
    await refused(jsm.streams.info(intake));
    await refused(jsm.streams.delete(env.streamName('window')));
    await refused(jsm.streams.purge(env.streamName('vuln')));
    await refused(jsm.streams.update(intake, { subjects: [`${env.prefix}.>`] }));
    // Its own stream it may look at.
    expect((await jsm.streams.info(env.streamName('vuln'))).config.name).toBe(env.streamName('vuln'));
  });
});

describe('the bus over TLS, where the deployment has a network', () => {
  let dir: string;
  let env: TestEnvironment;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vantage-tls-'));
    // As an operator makes them: npm run nats-auth -- tls --out DIR --hosts ...
    makeTls(dir, ['localhost', '127.0.0.1']);
    env = await TestEnvironment.create(undefined, {
      nats: { tls: { certFile: path.join(dir, 'tls/server.pem'), keyFile: path.join(dir, 'tls/server-key.pem'), caFile: path.join(dir, 'tls/ca.pem') } },
    });
  });
  afterAll(async () => {
    await env?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries a service whose NATS_TLS_CA_FILE trusts the server, and refuses a client that does not', async () => {
    expect(env.natsUrl).toMatch(/^tls:\/\//);
    await env.migrate(WINDOW_SCHEDULER);
    const scheduler = await env.start(WINDOW_SCHEDULER, { loadConfig: (e) => loadWindowSchedulerConfig(e), module: (c, o) => WindowSchedulerModule.forRoot(c, o) });
    expect((await fetch(`${scheduler.url}/health/ready`)).status).toBe(200);
    // The same credentials without the CA: the server's certificate is not trusted, nothing is sent in clear.
    const creds = await serviceCreds(env.natsTrust, 'window-scheduler');
    const url = env.natsUrl.replace('tls://', 'nats://');
    await expect(connect({ ...natsConnectionOptions({ url, name: 'no-ca', creds }), timeout: 3000 })).rejects.toThrow(/certificate|self.signed|TLS/i);
  });
});
