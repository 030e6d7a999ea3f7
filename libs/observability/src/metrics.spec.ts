import { Metrics } from './metrics';
import { sampleOf } from '../test/observed-app-fixture';

describe('Metrics', () => {
  it('keeps the series of two instances in one process apart', async () => {
    const a = new Metrics({ service: 'intake' });
    const b = new Metrics({ service: 'notifier' });
    a.eventsHandled.inc({ consumer: 'c', type: 't' }, 3);

    expect(sampleOf(await a.render(), 'vantage_events_handled_total', { consumer: 'c', type: 't', service: 'intake' })).toBe(3);
    expect(sampleOf(await b.render(), 'vantage_events_handled_total')).toBeUndefined();
  });

  it('can be built without Nest and without a service, as benchmarks do', async () => {
    const m = new Metrics();
    m.outboxPending.set(7);
    expect(sampleOf(await m.render(), 'vantage_outbox_pending')).toBe(7);
  });

  it('adds process metrics only when asked', async () => {
    expect(await new Metrics({ defaultMetrics: true }).render()).toContain('process_cpu_user_seconds_total');
    expect(await new Metrics().render()).not.toContain('process_cpu_user_seconds_total');
  });
});
