export * from './services';
export * from './data-source';
export * from './outbox';
export * from './inbox';
export * from './outbox-inbox.migration';
export * from './database-setup';
export * from './postgres-listener';
export * from './database-unavailable';
