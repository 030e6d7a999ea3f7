export { contextOf, fieldsOf, inSpan, TraceContext } from './trace-context';
export type { SpanSpec, TraceFields } from './trace-context';
export { Metrics } from './metrics';
export type { MetricsOptions } from './metrics';
export { ReadinessRegistry, DEFAULT_READINESS_TIMEOUT_MS } from './readiness-registry';
export type { ReadinessCheck } from './readiness-registry';
export { ObservabilityModule } from './observability.module';
export type { ObservabilityOptions } from './observability.module';
export { incomingTrace, isValidTraceparent } from './http-trace';
export { PUBLIC_ROUTE, PublicRoute } from './public-route.decorator';
export { OBSERVABILITY_ROUTES } from './global-prefix';
export { PostgresReadiness } from './postgres-readiness';
// Apps hand it to Nest (`app.useLogger(app.get(Logger))`) and log through Nest's own `Logger`.
export { Logger } from 'nestjs-pino';
export * from './tracing';
