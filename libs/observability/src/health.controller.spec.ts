import { Controller, Get, Injectable, OnModuleInit, VersioningType } from '@nestjs/common';
import { PUBLIC_ROUTE } from './public-route.decorator';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { jsonOf, ObservedApp, startObservedApp } from '../test/observed-app-fixture';
import { ReadinessRegistry } from './readiness-registry';

@Injectable()
class QueueReadiness implements OnModuleInit {
  healthy = true;
  constructor(private readonly readiness: ReadinessRegistry) {}
  onModuleInit(): void {
    this.readiness.register('queue', async () => {
      if (!this.healthy) throw new Error('queue connection is closed');
    });
  }
}

describe('health endpoints', () => {
  let probe: ObservedApp;
  afterEach(() => probe?.close());

  it('answers /health/live with 200 ok', async () => {
    probe = await startObservedApp();
    const res = await fetch(`${probe.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ status: 'ok' });
  });

  it('answers /health/ready with 200 when every check registered at module init passes', async () => {
    probe = await startObservedApp({ providers: [QueueReadiness] });
    const res = await fetch(`${probe.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toMatchObject({ status: 'ok', info: { queue: { status: 'up' } } });
  });

  it('answers /health/ready with 503 naming the check that fails, and 200 again once it recovers', async () => {
    probe = await startObservedApp({ providers: [QueueReadiness] });
    probe.app.get(ReadinessRegistry).register('store', async () => undefined);
    probe.app.get(QueueReadiness).healthy = false;

    const failing = await fetch(`${probe.url}/health/ready`);
    expect(failing.status).toBe(503);
    const body = await jsonOf(failing);
    expect(body).toMatchObject({ status: 'error', error: { queue: { status: 'down', message: 'queue connection is closed' } } });
    expect(body.info).toEqual({ store: { status: 'up' } });

    probe.app.get(QueueReadiness).healthy = true;
    expect((await fetch(`${probe.url}/health/ready`)).status).toBe(200);
  });

  it('counts a check that does not answer within the timeout as not ready', async () => {
    probe = await startObservedApp({ readinessTimeoutMs: 20 });
    probe.app.get(ReadinessRegistry).register('nats', () => new Promise<void>(() => undefined));
    const res = await fetch(`${probe.url}/health/ready`);
    expect(res.status).toBe(503);
    expect((await jsonOf(res)).error).toEqual({ nats: { status: 'down', message: 'nats did not answer within 20 ms' } });
  });

  it('refuses a second check under a name already registered', async () => {
    probe = await startObservedApp({ providers: [QueueReadiness] });
    expect(() => probe.app.get(ReadinessRegistry).register('queue', async () => undefined)).toThrow('"queue" is already registered');
  });

  it('serves health and metrics at the root even when the app sets a global prefix', async () => {
    @Controller('things')
    class ThingsController {
      @Get()
      list(): string[] {
        return [];
      }
    }
    probe = await startObservedApp({ globalPrefix: 'v1', controllers: [ThingsController] });
    expect((await fetch(`${probe.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${probe.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${probe.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${probe.url}/v1/things`)).status).toBe(200);
    expect((await fetch(`${probe.url}/v1/health/live`)).status).toBe(404);
  });

  it('serves health and metrics unversioned even when the app versions its routes by URI', async () => {
    probe = await startObservedApp({ beforeListen: (app) => app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' }) });
    expect((await fetch(`${probe.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${probe.url}/metrics`)).status).toBe(200);
  });

  it('marks the health and metrics controllers public, so an auth guard lets probes and scrapes through', () => {
    expect(Reflect.getMetadata(PUBLIC_ROUTE, HealthController)).toBe(true);
    expect(Reflect.getMetadata(PUBLIC_ROUTE, MetricsController)).toBe(true);
  });
});
