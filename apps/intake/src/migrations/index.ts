import { Initial1764190000000 } from './1764190000000-initial';

/** This service's migrations, in order. */
export const MIGRATIONS = [Initial1764190000000];
