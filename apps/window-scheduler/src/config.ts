import { IsInt, Max, Min } from 'class-validator';
import { loadConfig, ServiceConfig } from '@vantage/config';

export class WindowSchedulerConfig extends ServiceConfig {
  override PORT = 3001;

  /** The longest an access window may last. The programme's rule is 30 days: it may be lowered, never raised. */
  @IsInt() @Min(1) @Max(30, { message: 'may not exceed the programme limit of 30 days' })
  WINDOW_MAX_DAYS = 30;

  /** How long before the close `window.closing-soon` is published. */
  @IsInt() @Min(0) @Max(7 * 24)
  WINDOW_CLOSING_SOON_HOURS = 24;

  /** How often due timers are looked for (they also fire at once when a test clock moves). */
  @IsInt() @Min(10) @Max(60_000)
  TIMER_POLL_MS = 1000;
}

export const loadWindowSchedulerConfig = (env: Record<string, string | undefined> = process.env, overrides: Partial<WindowSchedulerConfig> = {}) =>
  loadConfig(WindowSchedulerConfig, env, overrides);
