export * from './client';
export * from './events';
export * from './webhooks';
