import { Initial1764190000000 } from './1764190000000-initial';
import { Cases1764220000000 } from './1764220000000-cases';
import { CaseLookups1764300000000 } from './1764300000000-case-lookups';
import { FindingRequests1764600000000 } from './1764600000000-finding-requests';
import { IdempotencyKeys1764700000000 } from './1764700000000-idempotency-keys';
import { IdempotencyKeyExpiry1764810000000 } from './1764810000000-idempotency-key-expiry';

/** This service's migrations, in order. Append only: a migration that has run anywhere is never edited. */
export const MIGRATIONS = [Initial1764190000000, Cases1764220000000, CaseLookups1764300000000, FindingRequests1764600000000, IdempotencyKeys1764700000000, IdempotencyKeyExpiry1764810000000];
