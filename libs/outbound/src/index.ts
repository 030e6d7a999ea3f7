export * from './allowed-hosts';
export * from './special-addresses';
export * from './destination-policy';
export * from './outbound-client';
export * from './outbound-config';
export * from './outbound.module';
