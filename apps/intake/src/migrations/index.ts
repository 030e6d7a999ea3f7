import { Initial1764190000000 } from './1764190000000-initial';
import { BrokeredAccess1764200000000 } from './1764200000000-brokered-access';
import { AccessLogOrder1764210000000 } from './1764210000000-access-log-order';
import { IdempotencyKeys1764700000000 } from './1764700000000-idempotency-keys';
import { IdempotencyKeyExpiry1764810000000 } from './1764810000000-idempotency-key-expiry';

/** This service's migrations, in order. Append only: a migration that has run anywhere is never edited. */
export const MIGRATIONS = [Initial1764190000000, BrokeredAccess1764200000000, AccessLogOrder1764210000000, IdempotencyKeys1764700000000, IdempotencyKeyExpiry1764810000000];
