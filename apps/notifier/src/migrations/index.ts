import { Initial1764190000000 } from './1764190000000-initial';
import { Subscriptions1764230000000 } from './1764230000000-subscriptions';
import { EventSequence1764250000000 } from './1764250000000-event-sequence';
import { DeliveryOrder1764310000000 } from './1764310000000-delivery-order';
import { DeliveryLanes1764400000000 } from './1764400000000-delivery-lanes';
import { IdempotencyKeys1764700000000 } from './1764700000000-idempotency-keys';
import { NarrowLeakyAudiences1764800000000 } from './1764800000000-narrow-leaky-audiences';
import { IdempotencyKeyExpiry1764810000000 } from './1764810000000-idempotency-key-expiry';
import { DropPreLaneColumns1764900000000 } from './1764900000000-drop-pre-lane-columns';

/** This service's migrations, in order. Append only: a migration that has run anywhere is never edited. */
export const MIGRATIONS = [
  Initial1764190000000, Subscriptions1764230000000, EventSequence1764250000000, DeliveryOrder1764310000000, DeliveryLanes1764400000000,
  IdempotencyKeys1764700000000, NarrowLeakyAudiences1764800000000, IdempotencyKeyExpiry1764810000000, DropPreLaneColumns1764900000000,
];
