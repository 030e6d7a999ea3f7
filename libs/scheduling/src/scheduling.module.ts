import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DurableTimers, SCHEDULING_OPTIONS, SchedulingOptions } from './durable-timers';

@Module({})
export class SchedulingModule {
  static forRoot(options: SchedulingOptions): DynamicModule {
    return {
      module: SchedulingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: SCHEDULING_OPTIONS, useValue: options }, DurableTimers],
      exports: [DurableTimers],
    };
  }
}
