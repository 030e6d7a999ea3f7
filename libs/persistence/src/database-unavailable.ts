// Telling an outage from a failure: an error that says Postgres could not be reached, or went away mid-work,
// is about the database, not about the work, and the same work succeeds once Postgres is back.

/** Node socket errors and SQLSTATEs of a lost or refused connection (class 08, shutdown, starting up, full). */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);

/** pg raises these as plain Errors, without a code. */
const UNAVAILABLE_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|database system is (starting up|shutting down|not yet accepting connections|in recovery mode)/i;

/** Whether the error (or the driver error or cause inside it, as TypeORM wraps them) says the database is unavailable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    current = e.driverError ?? e.cause;
  }
  return false;
}
