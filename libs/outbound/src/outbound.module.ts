import { DynamicModule, Module } from '@nestjs/common';
import { LookupFunction } from 'node:net';
import { DestinationPolicy } from './destination-policy';
import { OUTBOUND_OPTIONS, OutboundClient, OutboundClientOptions } from './outbound-client';
import { OutboundServiceConfig } from './outbound-config';

export interface OutboundModuleOptions extends OutboundClientOptions {
  allowedHosts: string;
  lookup?: LookupFunction;
}

/** The settings of a service's config, as the module takes them. */
export function outboundOptions(config: OutboundServiceConfig): OutboundModuleOptions {
  return { allowedHosts: config.OUTBOUND_ALLOWED_HOSTS, maxResponseBytes: config.OUTBOUND_MAX_RESPONSE_BYTES };
}

/** Provides the service's DestinationPolicy and OutboundClient to all its modules. */
@Module({})
export class OutboundModule {
  static forRoot(options: OutboundModuleOptions): DynamicModule {
    return {
      module: OutboundModule,
      global: true,
      providers: [
        { provide: OUTBOUND_OPTIONS, useValue: options },
        { provide: DestinationPolicy, useValue: new DestinationPolicy(options) },
        OutboundClient,
      ],
      exports: [DestinationPolicy, OutboundClient],
    };
  }
}
