import { Initial1764190000000 } from './1764190000000-initial';
import { BrokeredAccess1764200000000 } from './1764200000000-brokered-access';
import { AccessLogOrder1764210000000 } from './1764210000000-access-log-order';

/** This service's migrations, in order. Append only: a migration that has run anywhere is never edited. */
export const MIGRATIONS = [Initial1764190000000, BrokeredAccess1764200000000, AccessLogOrder1764210000000];
