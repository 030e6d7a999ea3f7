import { Metrics } from './metrics';
import { ObservedApp, sampleOf, startObservedApp } from '../test/observed-app-fixture';
import { ThingsController } from '../test/things-fixture';

describe('GET /metrics', () => {
  let probe: ObservedApp;
  beforeEach(async () => {
    probe = await startObservedApp({ controllers: [ThingsController] });
  });
  afterEach(() => probe.close());

  it('shows a handled event in Prometheus text format, labelled with the service', async () => {
    probe.app.get(Metrics).eventsHandled.inc({ consumer: 'notifier-fanout', type: 'gov.vantage.window.window.opened.v1' });

    const res = await fetch(`${probe.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const labels = { consumer: 'notifier-fanout', type: 'gov.vantage.window.window.opened.v1', service: 'probe-service' };
    expect(sampleOf(await res.text(), 'vantage_events_handled_total', labels)).toBe(1);
  });

  it('records each HTTP request once, under its route template, not the raw URL', async () => {
    await fetch(`${probe.url}/things/41`);
    await fetch(`${probe.url}/things/42`);
    await fetch(`${probe.url}/no/such/route`);

    const text = await (await fetch(`${probe.url}/metrics`)).text();
    const count = 'vantage_http_request_duration_seconds_count';
    expect(sampleOf(text, count, { method: 'GET', route: '/things/:id', status: '200', service: 'probe-service' })).toBe(2);
    expect(sampleOf(text, count, { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toContain('/things/42');
  });
});
