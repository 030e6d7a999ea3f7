export * from './service-core.module';
export * from './run-service';
export * from './problem-details.filter';
export * from './validation';
export * from './test-clock-control';
export * from './use-case';
