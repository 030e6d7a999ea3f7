// The Prometheus metrics every Vantage service exposes, on a registry of its own.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsOptions {
  /** Becomes the `service` label of every series. */
  service?: string;
  /** Process metrics (CPU, memory, event loop, GC); off by default so tests and benchmarks stay light. */
  defaultMetrics?: boolean;
}

/** From a fast in-memory handler (0.5 ms) to a slow remote call (10 s). */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One registry per instance, never prom-client's global one: several apps in one jest process, or a
 * benchmark beside an app, would otherwise collide on metric names.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly eventsHandled: Counter<'consumer' | 'type'>;
  readonly eventsFailed: Counter<'consumer' | 'type'>;
  readonly eventsDeadLettered: Counter<'consumer' | 'type'>;
  readonly handlerDuration: Histogram<'consumer' | 'type'>;
  readonly outboxPublished: Counter;
  readonly outboxPending: Gauge;
  /** Age of the oldest unsent outbox row. */
  readonly outboxLagSeconds: Gauge;
  readonly rpcHandled: Counter<'subject' | 'outcome'>;
  readonly httpRequests: Histogram<'method' | 'route' | 'status'>;

  constructor(options: MetricsOptions = {}) {
    if (options.service) this.registry.setDefaultLabels({ service: options.service });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const consumerLabels = ['consumer', 'type'] as const;

    this.eventsHandled = new Counter({
      name: 'vantage_events_handled_total',
      help: 'Events a consumer handled successfully',
      labelNames: consumerLabels,
      registers,
    });
    this.eventsFailed = new Counter({
      name: 'vantage_events_failed_total',
      help: 'Event deliveries whose handler failed (each attempt counts)',
      labelNames: consumerLabels,
      registers,
    });
    this.eventsDeadLettered = new Counter({
      name: 'vantage_events_dead_lettered_total',
      help: 'Events sent to the dead-letter subject after their last delivery',
      labelNames: consumerLabels,
      registers,
    });
    this.handlerDuration = new Histogram({
      name: 'vantage_handler_duration_seconds',
      help: 'Time an event handler took, successful or not',
      labelNames: consumerLabels,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.outboxPublished = new Counter({
      name: 'vantage_outbox_published_total',
      help: 'Outbox rows published to JetStream',
      registers,
    });
    this.outboxPending = new Gauge({
      name: 'vantage_outbox_pending',
      help: 'Outbox rows not yet published',
      registers,
    });
    this.outboxLagSeconds = new Gauge({
      name: 'vantage_outbox_lag_seconds',
      help: 'Age of the oldest unpublished outbox row',
      registers,
    });
    this.rpcHandled = new Counter({
      name: 'vantage_rpc_handled_total',
      help: 'Requests answered over NATS request-reply',
      labelNames: ['subject', 'outcome'],
      registers,
    });
    this.httpRequests = new Histogram({
      name: 'vantage_http_request_duration_seconds',
      help: 'HTTP requests by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
