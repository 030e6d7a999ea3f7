import { Module } from '@nestjs/common';
import { SuiteStore } from '../suites/suite-store';
import { BenchEventsHandlers } from './bench-events.handlers';
import { BenchQueriesHandlers } from './bench-queries.handlers';
import { RunExecutor } from './run-executor';
import { RunStore } from './run-store';

@Module({ providers: [SuiteStore, RunStore, RunExecutor, BenchEventsHandlers, BenchQueriesHandlers] })
export class RunsModule {}
