import { AccessStanding, assertAccess, judgeAccess } from './brokered-access';

const open: AccessStanding = { submissionStatus: 'active', windowState: 'open', agencies: null, grantState: 'active' };

describe('who may call a lab\'s model', () => {
  it('an agency with an active grant on an open window of an active submission', () => {
    expect(judgeAccess(open, 'a1')).toBe('open');
    expect(() => assertAccess(open, 'a1')).not.toThrow();
  });

  it('no one, for a submission that does not exist: the same 403 as no grant', () => {
    expect(judgeAccess(undefined, 'a1')).toBe('no-grant');
    expect(() => assertAccess(undefined, 'a1')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('an agency outside the consent list, with no grant: 403', () => {
    expect(judgeAccess({ ...open, agencies: ['a2'], grantState: null }, 'a1')).toBe('no-grant');
    expect(judgeAccess({ ...open, windowState: null, grantState: null }, 'a1')).toBe('no-grant');
  });

  it('a consenting agency before its grant, or after the window or the submission ended: 409', () => {
    expect(judgeAccess({ ...open, windowState: 'scheduled', grantState: null }, 'a1')).toBe('not-open');
    expect(judgeAccess({ ...open, agencies: ['a1'], grantState: null }, 'a1')).toBe('not-open');
    expect(judgeAccess({ ...open, windowState: 'closed', grantState: 'revoked' }, 'a1')).toBe('not-open');
    expect(judgeAccess({ ...open, submissionStatus: 'withdrawn' }, 'a1')).toBe('not-open');
    expect(() => assertAccess({ ...open, grantState: 'revoked', agencies: ['a2'] }, 'a1')).toThrow(expect.objectContaining({ status: 409, code: 'window_not_open' }));
  });
});
