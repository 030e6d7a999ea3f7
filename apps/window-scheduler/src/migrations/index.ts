import { Initial1764190000000 } from './1764190000000-initial';
import { Windows1764200000000 } from './1764200000000-windows';

/** This service's migrations, in order. Append only: a migration that has run anywhere is never edited. */
export const MIGRATIONS = [Initial1764190000000, Windows1764200000000];
