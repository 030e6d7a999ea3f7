export * from './audience';
export * from './envelope';
export * from './event-definition';
export * from './rpc-definition';
export * from './validation';
export * from './catalogue';
export * from './errors';
export * from './events/intake.events';
