import { isDatabaseUnavailable } from './database-unavailable';

describe('isDatabaseUnavailable', () => {
  it('recognises a refused, lost or not-yet-ready connection, also wrapped as TypeORM wraps it', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable({ message: 'query failed', driverError: Object.assign(new Error('x'), { code: '08006' }) })).toBe(true);
  });

  it('does not excuse an error in the work itself', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('relation "outbox" does not exist'), { code: '42P01' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('window 1 is not in the read model yet'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
