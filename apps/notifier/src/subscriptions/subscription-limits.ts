// How many subscriptions an organisation may hold. Pure.
import { RuleViolationError } from '@vantage/contracts';

/** An organisation holds at most `max` subscriptions (active and disabled: both are its to delete). */
export function assertRoomForSubscription(held: number, max: number): void {
  if (held >= max) {
    throw new RuleViolationError(
      'subscription_limit_reached',
      `your organisation holds ${held} subscriptions, the most it may (MAX_SUBSCRIPTIONS_PER_ORG is ${max}); delete one to add another`,
    );
  }
}
