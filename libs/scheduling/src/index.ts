export * from './timers.migration';
export * from './durable-timers';
export * from './scheduling.module';
