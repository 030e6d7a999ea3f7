import { assertClearance } from './organisation';

describe('clearances', () => {
  it('every agency carries one', () => {
    expect(() => assertClearance({ kind: 'agency', clearance: 'secret' })).not.toThrow();
    expect(() => assertClearance({ kind: 'agency' })).toThrow(expect.objectContaining({ code: 'clearance_required', status: 422 }));
  });

  it('no other kind does', () => {
    expect(() => assertClearance({ kind: 'lab' })).not.toThrow();
    expect(() => assertClearance({ kind: 'lab', clearance: null })).not.toThrow();
    expect(() => assertClearance({ kind: 'operator', clearance: 'secret' })).toThrow(
      expect.objectContaining({ code: 'clearance_not_applicable', errors: [{ field: 'clearance', message: 'does not apply to a operator' }] }),
    );
  });
});
