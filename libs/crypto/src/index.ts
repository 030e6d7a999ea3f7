export * from './secret-box';
export * from './api-keys';
export * from './service-identity';
export * from './caller-token';
