export * from './wait-for';
export * from './infrastructure';
export * from './test-environment';
export * from './event-reader';
export * from './log-capture';
export * from './backbone-fixture';
export * from './service-process';
export * from './webhook-receiver';
