// When a failed webhook is tried again: the Svix schedule, counted from each failure.
import { DAY, HOUR, MINUTE, SECOND } from '@vantage/clock';

/** Delay before attempt n+1 (index n): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const RETRY_SCHEDULE_MS = [0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length;

/** An endpoint whose every attempt has failed for this long is disabled. */
export const FAILING_ENDPOINT_DISABLE_AFTER_MS = 5 * DAY;

/** A Retry-After beyond this is taken as this: a subscriber cannot park a delivery indefinitely. */
export const MAX_RETRY_AFTER_MS = 10 * HOUR;

/** The wait after failed attempt `attempt` (1-based), or undefined when it was the last. A larger Retry-After wins. */
export function delayAfterFailure(attempt: number, retryAfterMs?: number): number | undefined {
  if (attempt >= MAX_ATTEMPTS) return undefined;
  const scheduled = RETRY_SCHEDULE_MS[attempt];
  if (retryAfterMs === undefined || retryAfterMs <= scheduled) return scheduled;
  return Math.min(retryAfterMs, Math.max(MAX_RETRY_AFTER_MS, scheduled));
}

/** `Retry-After: <seconds>` or `Retry-After: <HTTP-date>`, as milliseconds from `now`. */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * SECOND;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
