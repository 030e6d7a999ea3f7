// What system tests may drive in-process. No other project imports an app (lint enforces it).
export { BENCHMARK_RUNNER } from './main';
export { AppModule } from './app.module';
export { BenchmarkRunnerConfig, loadBenchmarkRunnerConfig } from './config';
