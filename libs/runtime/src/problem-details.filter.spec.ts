import { toProblem } from './problem-details.filter';

describe('toProblem', () => {
  it('answers a lost or refused database connection as 503, which clients retry, not as a 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toProblem(refused)).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(toProblem({ message: 'Connection terminated unexpectedly', driverError: new Error('Connection terminated unexpectedly') })).toMatchObject({ status: 503 });
    expect(toProblem(refused).detail).not.toContain('5432');
  });

  it('keeps other unexpected errors a 500 that says nothing of their text', () => {
    const p = toProblem(Object.assign(new Error('duplicate key value violates unique constraint "secret_idx"'), { code: '23505' }));
    expect(p).toMatchObject({ status: 500, code: 'internal' });
    expect(p.detail).not.toContain('secret_idx');
  });
});
