import { ForbiddenError, NotFoundError } from '@vantage/contracts';
import { caseAudience, mayRead, requireAnalyst, requireReporter } from './case-access';
import { AGENCY, ANALYST, LAB, OPERATOR } from './fakes.testing';

describe('need-to-know', () => {
  it('lets listed organisations and the clearinghouse read an undisclosed case', () => {
    expect(mayRead({ state: 'triaged', listed: true }, LAB)).toEqual({ state: 'triaged', listed: true });
    expect(mayRead({ state: 'new', listed: false }, ANALYST)).toEqual({ state: 'new', listed: false });
  });

  it('tells anyone else the case does not exist, as it tells them of a case that does not', () => {
    expect(() => mayRead({ state: 'triaged', listed: false }, AGENCY)).toThrow(NotFoundError);
    expect(() => mayRead(undefined, AGENCY)).toThrow(NotFoundError);
    expect(() => mayRead(undefined, ANALYST)).toThrow(NotFoundError);
  });

  it('lets everyone read a disclosed case', () => {
    expect(mayRead({ state: 'disclosed', listed: false }, OPERATOR).state).toBe('disclosed');
  });

  it('announces to the listed organisations and the clearinghouse, to everyone once disclosed', () => {
    expect(caseAudience(['o1', 'o2'], false).terms).toHaveLength(3);
    expect(caseAudience(['o1', 'o2'], false).terms).toEqual(expect.arrayContaining([{ org: 'o1' }, { org: 'o2' }, { role: 'clearinghouse' }]));
    expect(caseAudience(['o1'], true).terms).toHaveLength(4);
    expect(caseAudience(['o1'], true).terms).toEqual(expect.arrayContaining([{ role: 'lab' }, { role: 'agency' }, { role: 'clearinghouse' }, { role: 'operator' }]));
  });
});

describe('who may act', () => {
  it('leaves analyst work to the clearinghouse', () => {
    expect(() => requireAnalyst(ANALYST, 'no')).not.toThrow();
    expect(() => requireAnalyst(LAB, 'only clearinghouse analysts move cases')).toThrow(new ForbiddenError('only clearinghouse analysts move cases'));
  });

  it('takes findings from agencies, labs and the clearinghouse only', () => {
    for (const caller of [AGENCY, LAB, ANALYST]) expect(() => requireReporter(caller)).not.toThrow();
    expect(() => requireReporter(OPERATOR)).toThrow(ForbiddenError);
  });
});
