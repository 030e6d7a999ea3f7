import { loadConfig, ServiceConfig } from '@vantage/config';

export class VulnClearinghouseConfig extends ServiceConfig {
  override PORT = 3003;
}

export const loadVulnClearinghouseConfig = (env = process.env, overrides: Partial<VulnClearinghouseConfig> = {}) => loadConfig(VulnClearinghouseConfig, env, overrides);
