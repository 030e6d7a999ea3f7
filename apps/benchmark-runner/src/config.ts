import { loadConfig, ServiceConfig } from '@vantage/config';

export class BenchmarkRunnerConfig extends ServiceConfig {
  override PORT = 3002;
}

export const loadBenchmarkRunnerConfig = (env = process.env, overrides: Partial<BenchmarkRunnerConfig> = {}) => loadConfig(BenchmarkRunnerConfig, env, overrides);
