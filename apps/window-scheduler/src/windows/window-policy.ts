// The programme's limits as the rules take them, from this service's configuration.
import { WindowSchedulerConfig } from '../config';
import { WindowPolicy } from './access-window';

export function windowPolicy(config: WindowSchedulerConfig): WindowPolicy {
  return { maxDays: config.WINDOW_MAX_DAYS, closingSoonMs: config.WINDOW_CLOSING_SOON_HOURS * 3600 * 1000 };
}
