import { IsInt, Max, Min } from 'class-validator';
import { loadConfig, ServiceConfig } from '@vantage/config';

export class WindowSchedulerConfig extends ServiceConfig {
  override PORT = 3001;

  /** The longest an access window may last. The programme's rule is 30 days: it may be lowered, never raised. */
  @IsInt() @Min(1) @Max(30, { message: 'may not exceed the programme limit of 30 days' })
  WINDOW_MAX_DAYS = 30;
}

export const loadWindowSchedulerConfig = (env = process.env, overrides: Partial<WindowSchedulerConfig> = {}) =>
  loadConfig(WindowSchedulerConfig, env, overrides);
