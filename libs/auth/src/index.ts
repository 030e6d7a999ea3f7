export * from './principal';
export * from './roles.decorator';
export * from './api-key.guard';
