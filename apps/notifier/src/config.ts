import { loadConfig, ServiceConfig } from '@vantage/config';

export class NotifierConfig extends ServiceConfig {
  override PORT = 3004;
}

export const loadNotifierConfig = (env = process.env, overrides: Partial<NotifierConfig> = {}) => loadConfig(NotifierConfig, env, overrides);
