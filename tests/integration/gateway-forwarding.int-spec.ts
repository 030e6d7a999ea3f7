// The gateway's forwarding mechanism: other services' use cases reached over request-reply with the
// caller's identity, bounded by a deadline.
import { loadConfig } from '@vantage/config';
import { AppModule, Forwarder, INTAKE, loadIntakeConfig } from '@vantage/apps/intake';
import { BackboneConfig, backboneEntry, Echo, EchoHandlers, RunningService, TestEnvironment, waitFor } from '@vantage/testing';

jest.setTimeout(60_000);

describe('forwarding from the gateway over request-reply', () => {
  let env: TestEnvironment;
  let gateway: RunningService;
  const owner = backboneEntry([EchoHandlers]);
  const caller = { orgId: '0192f0a0-0000-7000-8000-0000000000a1', kind: 'agency' as const, clearance: 'cui' as const, keyId: 'k1' };

  beforeAll(async () => {
    env = await TestEnvironment.create();
    await env.migrate(INTAKE);
    await env.migrate(owner);
    // Echo is no real contract's: the gateway gets every bus right to send it.
    gateway = await env.start(INTAKE, {
      loadConfig: (e) => loadIntakeConfig(e),
      module: (c, o) => AppModule.forRoot(c, o),
      overrides: { RPC_TIMEOUT_MS: 300, NATS_CREDS_FILE: env.adminCredsFile },
    });
  });
  afterAll(() => env?.dispose());

  it('says 503 when the owning service is not running', async () => {
    await expect(gateway.app.get(Forwarder).forward(Echo, { text: 'hi' }, caller)).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
  });

  it("passes the caller's identity, returns the answer, and turns a slow answer into 504 after its deadline", async () => {
    const service = await env.start(owner, { loadConfig: (e) => loadConfig(BackboneConfig, e), module: owner.moduleFor, overrides: { NATS_CREDS_FILE: env.adminCredsFile } });
    try {
      const answer = await gateway.app.get(Forwarder).forward(Echo, { text: 'hi' }, caller);
      expect(answer).toMatchObject({ echoed: 'hi', caller: { orgId: caller.orgId, kind: 'agency', clearance: 'cui', keyId: 'k1' } });
      await expect(gateway.app.get(Forwarder).forward(Echo, { text: 'missing' }, caller)).rejects.toMatchObject({ status: 404 });
      await expect(gateway.app.get(Forwarder).forward(Echo, { text: 'hang' }, caller)).rejects.toMatchObject({ status: 504, code: 'service_timeout' });
      const handlers = service.app.get(EchoHandlers);
      await waitFor(() => handlers.hanging.length > 0);
      handlers.hanging.splice(0).forEach((release) => release());
    } finally {
      await service.close();
    }
  });
});
