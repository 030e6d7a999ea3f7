import { Initial1764190000000 } from './1764190000000-initial';
import { Benchmarks1764400000000 } from './1764400000000-benchmarks';
import { CheckpointInFlight1764500000000 } from './1764500000000-checkpoint-in-flight';
import { SuiteUploadsCanariesEpochs1764600000000 } from './1764600000000-suite-uploads-canaries-epochs';
import { IdempotencyKeys1764700000000 } from './1764700000000-idempotency-keys';
import { DecisionDetail1764800000000 } from './1764800000000-decision-detail';
import { IdempotencyKeyExpiry1764810000000 } from './1764810000000-idempotency-key-expiry';

/** This service's migrations, in order. Append only: a migration that has run anywhere is never edited. */
export const MIGRATIONS = [
  Initial1764190000000, Benchmarks1764400000000, CheckpointInFlight1764500000000, SuiteUploadsCanariesEpochs1764600000000, IdempotencyKeys1764700000000,
  DecisionDetail1764800000000, IdempotencyKeyExpiry1764810000000,
];
